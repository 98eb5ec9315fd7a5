import { SseParser } from './sse-parser.js';
import { Backoff } from './backoff.js';

/**
 * One stream from the server, read with fetch, for a set of topics (`?topic=a&topic=b&withTopic=1`), following
 * EventSource's rules: any status but 200 or another content type closes it for good with the server's reason, 204
 * closes it, a network error or the end of the stream reconnects after `retry:` (with backoff and jitter while
 * attempts keep failing) and sends `Last-Event-ID`. Changing the topics reopens it from the last id, so nothing is
 * missed or repeated.
 *
 * The listener gets onState({state, reason, status}) with state connecting | open | reconnecting | closed,
 * onEvent({topic, type, id, data}), onMissed({id, lastEventId, reason}) and onPosition(id) for an id that came
 * without an event (the server tells a new stream where it starts). `env` supplies fetch, the timers,
 * random and the page's origin, so that tests can drive it.
 */
export class Upstream {
  #url;
  #options;
  #listener;
  #env;
  #backoff = new Backoff();
  #lastEventId;
  #topics = [];
  #generation = 0;        // bumped by every attempt and stop: continuations of older attempts see it and quit
  #abort = null;
  #timer = null;
  #state = 'closed';

  constructor(url, { headers = {}, credentials = 'same-origin', lastEventId = '' } = {}, listener, env = globalThis) {
    this.#url = url;
    this.#options = { headers, credentials };
    this.#listener = listener;
    this.#env = env;
    this.#lastEventId = lastEventId;
  }

  get lastEventId() {
    return this.#lastEventId;
  }

  get topics() {
    return this.#topics;
  }

  get state() {
    return this.#state;
  }

  /** The URL this stream asks for (without the last event id). */
  get streamUrl() {
    const url = new URL(this.#url);
    for (const topic of this.#topics) url.searchParams.append('topic', topic);
    url.searchParams.set('withTopic', '1');
    return url.toString();
  }

  /** Reads these topics, reopening from the last id if they differ from the current ones or the stream is closed. */
  open(topics) {
    const same = topics.length === this.#topics.length && topics.every((t, i) => t === this.#topics[i]);
    if (same && this.#state !== 'closed') return;
    this.#topics = [...topics];
    this.#stop();
    if (topics.length === 0) {
      this.#setState('closed', { reason: 'no topic is subscribed' });
      return;
    }
    this.#setState('connecting');
    this.#attempt();
  }

  /** Ends the stream for good; nothing more is reported. */
  close() {
    this.#stop();
    this.#state = 'closed';
  }

  #stop() {
    this.#generation += 1;
    if (this.#abort) this.#abort.abort();
    this.#abort = null;
    if (this.#timer !== null) this.#env.clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #attempt() {
    const generation = ++this.#generation;
    const current = () => generation === this.#generation;
    const abort = new AbortController();
    this.#abort = abort;
    let response;
    try {
      response = await this.#env.fetch(this.#requestUrl(), this.#request(abort.signal));
    } catch (err) {
      if (current()) this.#reconnectLater('the server could not be reached');
      return;
    }
    if (!current()) {
      abort.abort();
      return;
    }
    const refusal = await refusalOf(response);
    if (!current()) return;
    if (refusal) {
      abort.abort();
      this.#stop();
      this.#setState('closed', refusal);
      return;
    }
    this.#backoff.opened();
    this.#setState('open');
    await this.#read(response, generation, current);
  }

  async #read(response, generation, current) {
    const parser = new SseParser({
      onEvent: (event) => {
        if (current()) this.#dispatch(event);
      },
      onRetry: (millis) => {
        if (current()) this.#backoff.reconnectMillis = millis;
      },
      onComment: () => {},
    }, this.#lastEventId);
    const reader = response.body.getReader();
    let reason = 'the server ended the stream';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (!current()) return;
        if (done) break;
        parser.feed(value);
        if (!current()) return;
        if (parser.lastEventId !== this.#lastEventId) { // a block with an id and no data: a position, no event
          this.#lastEventId = parser.lastEventId;
          this.#listener.onPosition(this.#lastEventId);
        }
      }
    } catch (err) {
      if (!current()) return;
      reason = 'the connection was lost';
    }
    parser.finish();
    this.#reconnectLater(reason);
  }

  #dispatch(event) {
    this.#lastEventId = event.id;
    if (event.type === 'missed' && event.topic === '') {
      this.#listener.onMissed(missedNotice(event));
    } else {
      this.#listener.onEvent({ topic: event.topic, type: event.type, id: event.id, data: event.data });
    }
  }

  #reconnectLater(reason) {
    this.#abort = null;
    this.#setState('reconnecting', { reason });
    const generation = this.#generation;
    this.#timer = this.#env.setTimeout(() => {
      this.#timer = null;
      if (generation === this.#generation) this.#attempt();
    }, this.#backoff.nextDelay(() => this.#env.random()));
  }

  // Last-Event-ID is not a header a cross-origin request may send without a preflight, which ssehub does not allow
  // for it; the server reads the same id from the lastEventId parameter.
  #requestUrl() {
    const url = this.streamUrl;
    if (!this.#lastEventId || !this.#crossOrigin()) return url;
    const withId = new URL(url);
    withId.searchParams.set('lastEventId', this.#lastEventId);
    return withId.toString();
  }

  #request(signal) {
    const headers = { Accept: 'text/event-stream', ...this.#options.headers };
    if (this.#lastEventId && !this.#crossOrigin()) headers['Last-Event-ID'] = this.#lastEventId;
    return { headers, cache: 'no-store', credentials: this.#options.credentials, signal };
  }

  #crossOrigin() {
    return Boolean(this.#env.origin) && new URL(this.#url).origin !== this.#env.origin;
  }

  #setState(state, details = {}) {
    this.#state = state;
    this.#listener.onState({ state, reason: details.reason || '', status: details.status || 0 });
  }
}

// Why a response is not a stream to read, as EventSource decides it; null when it is one.
async function refusalOf(response) {
  if (response.status === 204) {
    return { status: 204, reason: 'the server has no stream for this client (204 No Content)' };
  }
  if (response.status !== 200) {
    return { status: response.status, reason: `HTTP ${response.status}: ${await firstLine(response)}` };
  }
  const type = response.headers.get('Content-Type') || '';
  if (!/^text\/event-stream\s*(;|$)/i.test(type)) {
    return { status: 200, reason: `not an event stream: Content-Type ${type || 'missing'}` };
  }
  return null;
}

// ssehub answers every refusal with one line of text/plain.
async function firstLine(response) {
  const text = await response.text().catch(() => '');
  return text.trim().split(/\r?\n/)[0].slice(0, 300) || response.statusText || 'no reason given';
}

function missedNotice(event) {
  let details = {};
  try {
    details = JSON.parse(event.data);
  } catch (err) { /* the raw data is kept below */ }
  return { id: event.id, lastEventId: String(details.lastEventId ?? ''), reason: String(details.reason ?? ''), data: event.data };
}
