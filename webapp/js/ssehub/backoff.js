/**
 * How long to wait before the next connection attempt, as the server's Java client does. The first attempt after a
 * connection that was open waits exactly the reconnection time (the server's `retry:`, 3 s until it sends one), as
 * EventSource does. Each further failure in a row doubles a ceiling, up to 30 s, and waits a random time between half
 * the ceiling and the ceiling, so that clients dropped together do not come back together; never less than the
 * reconnection time, which is the server's wish.
 */
export const DEFAULT_RECONNECT_MILLIS = 3000;
export const MAX_BACKOFF_MILLIS = 30000;
// Where growth starts when the reconnection time is tiny, so that "retry: 0" cannot become a busy loop.
const GROWTH_FLOOR_MILLIS = 250;
// setTimeout fires at once for anything longer than this.
const LONGEST_TIMER_MILLIS = 2 ** 31 - 1;

export class Backoff {
  reconnectMillis = DEFAULT_RECONNECT_MILLIS;
  failures = 0; // attempts that failed in a row since the last open connection

  constructor(maxMillis = MAX_BACKOFF_MILLIS) {
    this.maxMillis = maxMillis;
  }

  /** A connection opened: the next wait is the plain reconnection time again. */
  opened() {
    this.failures = 0;
  }

  /** The wait before the next attempt; counts that attempt as one more in a row. `random` gives [0, 1). */
  nextDelay(random) {
    const delay = this.#delay(random);
    this.failures += 1;
    return Math.min(delay, LONGEST_TIMER_MILLIS);
  }

  #delay(random) {
    if (this.failures === 0) return this.reconnectMillis;
    const cap = Math.max(this.maxMillis, this.reconnectMillis);
    let ceiling = Math.max(this.reconnectMillis, GROWTH_FLOOR_MILLIS);
    for (let i = 0; i < this.failures && ceiling < cap; i++) ceiling = Math.min(ceiling * 2, cap);
    const low = Math.max(this.reconnectMillis, ceiling / 2);
    if (low >= ceiling) return low;
    return Math.min(ceiling, Math.floor(low + random() * (ceiling - low + 1)));
  }
}
