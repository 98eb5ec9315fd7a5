/**
 * Knowing when a tab is gone, whatever way it went (closed, crashed, navigated away): each tab holds a Web Lock named
 * after it for its whole life, and whoever hosts the stream asks for that lock, which it gets only once the tab is
 * gone. Where there are no Web Locks, the tab's goodbye on `pagehide` is all there is.
 */
const PREFIX = 'ssehub-tab:';

/** Holds this tab's life lock until the page goes; resolves once it is held. */
export function holdLife(clientId, locks = globalThis.navigator?.locks) {
  if (!locks) return Promise.resolve();
  return new Promise((held) => {
    locks.request(PREFIX + clientId, () => {
      held();
      return new Promise(() => {}); // never released while the page lives
    });
  });
}

/** Calls onGone once the tab that holds the lock is gone; the function returned stops watching. */
export function watchLife(clientId, onGone, locks = globalThis.navigator?.locks) {
  if (!locks) return () => {};
  const stop = new AbortController();
  locks.request(PREFIX + clientId, { signal: stop.signal }, () => onGone())
    .catch(() => { /* stopped watching */ });
  return () => stop.abort();
}
