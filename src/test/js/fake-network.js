// A fetch whose answers the test writes, and timers the test fires: the Upstream's whole world, under test control.
const encoder = new TextEncoder();

export class FakeNetwork {
  requests = [];
  timers = [];
  #waiting = [];
  origin = 'http://hub.test';

  env() {
    return {
      fetch: (url, init) => this.#fetch(url, init),
      setTimeout: (fn, millis) => {
        const timer = { fn, millis, cleared: false };
        this.timers.push(timer);
        return timer;
      },
      clearTimeout: (timer) => { if (timer) timer.cleared = true; },
      random: () => 0.5,
      origin: this.origin,
    };
  }

  /** The next request not yet taken, once it was made. */
  async nextRequest() {
    await settle();
    const request = this.requests.find((r) => !r.taken);
    if (!request) throw new Error('no request was made');
    request.taken = true;
    return request;
  }

  /** Fires the one pending timer and returns its delay. */
  async fireTimer() {
    await settle();
    const pending = this.timers.filter((t) => !t.cleared && !t.fired);
    if (pending.length !== 1) throw new Error(`expected one pending timer, found ${pending.length}`);
    pending[0].fired = true;
    pending[0].fn();
    await settle();
    return pending[0].millis;
  }

  pendingTimers() {
    return this.timers.filter((t) => !t.cleared && !t.fired);
  }

  #fetch(url, init) {
    return new Promise((resolve, reject) => {
      const request = new FakeRequest(url, init, resolve, reject);
      this.requests.push(request);
    });
  }
}

class FakeRequest {
  #resolve;
  #reject;
  #controller = null;

  constructor(url, init, resolve, reject) {
    this.url = new URL(url);
    this.headers = init.headers;
    this.aborted = false;
    this.#resolve = resolve;
    this.#reject = reject;
    init.signal.addEventListener('abort', () => {
      this.aborted = true;
      reject(new DOMException('aborted', 'AbortError'));
      try { this.#controller?.error(new DOMException('aborted', 'AbortError')); } catch (err) { /* closed */ }
    });
  }

  get topics() {
    return this.url.searchParams.getAll('topic');
  }

  /** Answers 200 text/event-stream (or other headers) and keeps the body open. */
  async stream(headers = { 'Content-Type': 'text/event-stream;charset=UTF-8' }) {
    const body = new ReadableStream({ start: (controller) => { this.#controller = controller; } });
    this.#resolve(new Response(body, { status: 200, headers }));
    await settle();
    return this;
  }

  async answer(status, text = '', headers = { 'Content-Type': 'text/plain' }) {
    this.#resolve(new Response(status === 204 ? null : text, { status, headers }));
    await settle();
  }

  async failToConnect() {
    this.#reject(new TypeError('Failed to fetch'));
    await settle();
  }

  async send(text) {
    this.#controller.enqueue(encoder.encode(text));
    await settle();
  }

  async end() {
    this.#controller.close();
    await settle();
  }

  async drop() {
    this.#controller.error(new TypeError('network error'));
    await settle();
  }
}

/** Lets every promise continuation that is ready run. */
export async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A listener of an Upstream that keeps everything it is told. */
export function recorder() {
  const seen = { states: [], events: [], missed: [], positions: [] };
  seen.onState = (s) => seen.states.push(s.state + (s.reason ? ': ' + s.reason : ''));
  seen.onEvent = (e) => seen.events.push(e);
  seen.onMissed = (m) => seen.missed.push(m);
  seen.onPosition = (id) => seen.positions.push(id);
  return seen;
}
