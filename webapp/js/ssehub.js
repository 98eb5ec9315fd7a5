/**
 * ssehub.js: one event stream for all tabs of an origin, however many tabs and topics.
 *
 *   import { SseHub } from './js/ssehub.js';
 *   const hub = SseHub.connect('stream');
 *   const sub = hub.subscribe(['chat', 'clock'], (event) => console.log(event.topic, event.type, event.id, event.data));
 *   hub.onState((s) => console.log(s.state, s.reason));     // connecting | open | reconnecting | closed
 *   hub.onMissed((notice) => console.log(notice.reason));   // the server could not replay what was missed
 *   sub.close();
 *
 * Where the browser has a SharedWorker, the worker (ssehub-worker.js, next to this file) holds the stream; elsewhere
 * the tabs elect one with a Web Lock to hold it and pass events over a BroadcastChannel; with neither, each tab holds
 * its own. For tests, `?ssehubMode=worker|leader|direct` in the page's address, or the option `mode`, picks one.
 * An ES module with no dependencies; see ssehub.d.ts for the types.
 */
import { WorkerTransport, LeaderTransport, DirectTransport } from './ssehub/transports.js';

const TOPIC_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/; // the server's rule for topic names
const MODES = ['worker', 'leader', 'direct'];

export const SseHub = Object.freeze({
  /**
   * Connects to the stream at `url` (relative to the page). Options: `headers` (sent with every request, e.g.
   * Authorization), `withCredentials` (cookies to another origin), `mode` ('worker', 'leader' or 'direct').
   */
  connect(url, options = {}) {
    return new Hub(url, options);
  },
});

class Hub {
  #subscriptions = new Set();
  #stateListeners = new Set();
  #missedListeners = new Set();
  #transport;
  #mode;
  #state = { state: 'connecting', reason: '', status: 0, topics: [], url: '', clients: 0 };
  #lastId = '';          // of the last event given to this tab's subscribers: nothing at or before it is given twice
  #topicsDirty = false;
  #closed = false;

  constructor(url, options) {
    const absolute = new URL(url, document.baseURI).toString();
    const streamOptions = {
      headers: { ...(options.headers || {}) },
      credentials: options.withCredentials ? 'include' : 'same-origin',
    };
    const client = randomId();
    const receive = (message) => this.#receive(message);
    this.#mode = chooseMode(options.mode);
    if (this.#mode === 'worker') {
      const workerUrl = new URL('./ssehub-worker.js', import.meta.url);
      this.#transport = new WorkerTransport(absolute, streamOptions, client, receive, workerUrl);
    } else if (this.#mode === 'leader') {
      this.#transport = new LeaderTransport(absolute, streamOptions, client, receive, streamKey(absolute, streamOptions));
    } else {
      this.#transport = new DirectTransport(absolute, streamOptions, client, receive);
    }
    addEventListener('pagehide', () => this.close());
  }

  /** worker, leader or direct: how this tab reaches the shared stream. */
  get mode() {
    return this.#mode;
  }

  /** The last state reported (see onState). */
  get state() {
    return this.#describe(this.#state);
  }

  /**
   * Calls `onEvent({topic, type, id, data})` for every event of these topics, in order, from now on; `type` is
   * "message" for unnamed events. Returns the subscription; close() ends it.
   */
  subscribe(topics, onEvent) {
    const names = typeof topics === 'string' ? [topics] : [...topics];
    const invalid = names.find((t) => !TOPIC_PATTERN.test(t));
    if (names.length === 0 || invalid !== undefined) {
      throw new TypeError(`not a topic name: ${JSON.stringify(invalid)}; 1 to 64 characters of A-Z a-z 0-9 _ . -`);
    }
    if (typeof onEvent !== 'function') throw new TypeError('subscribe(topics, onEvent) needs a function');
    const subscription = {
      topics: Object.freeze([...new Set(names)]),
      close: () => {
        if (this.#subscriptions.delete(entry)) this.#topicsChanged();
      },
    };
    const entry = { topics: new Set(names), onEvent, subscription };
    this.#subscriptions.add(entry);
    this.#topicsChanged();
    return subscription;
  }

  /** Calls `listener(state)` now and on every change; returns a function that stops it. */
  onState(listener) {
    this.#stateListeners.add(listener);
    call(listener, this.state);
    return () => this.#stateListeners.delete(listener);
  }

  /** Calls `listener({id, lastEventId, reason, data})` when the server says events were missed. */
  onMissed(listener) {
    this.#missedListeners.add(listener);
    return () => this.#missedListeners.delete(listener);
  }

  /** Opens the stream again after it was closed for good (the server refused it). */
  reconnect() {
    if (!this.#closed) this.#transport.reconnect();
  }

  /** Leaves the shared stream: no more callbacks. The stream closes when no tab needs it. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#subscriptions.clear();
    this.#transport.close();
  }

  // Many subscribe/close calls in one task make one change.
  #topicsChanged() {
    if (this.#topicsDirty || this.#closed) return;
    this.#topicsDirty = true;
    queueMicrotask(() => {
      this.#topicsDirty = false;
      if (this.#closed) return;
      const topics = new Set();
      this.#subscriptions.forEach((entry) => entry.topics.forEach((t) => topics.add(t)));
      this.#transport.setTopics([...topics].sort());
    });
  }

  #receive(message) {
    if (this.#closed) return;
    if (message.op === 'state') {
      this.#state = message;
      const state = this.state;
      this.#stateListeners.forEach((listener) => call(listener, state));
    } else if (message.op === 'event') {
      const event = message.event;
      if (!isAfter(event.id, this.#lastId)) return; // already given: a new host resumed a little early
      this.#lastId = event.id;
      const frozen = Object.freeze({ topic: event.topic, type: event.type, id: event.id, data: event.data });
      for (const entry of [...this.#subscriptions]) {
        if (entry.topics.has(event.topic) && this.#subscriptions.has(entry)) call(entry.onEvent, frozen);
      }
    } else if (message.op === 'missed') {
      if (message.notice.id) this.#lastId = message.notice.id;
      const notice = Object.freeze({ ...message.notice });
      this.#missedListeners.forEach((listener) => call(listener, notice));
    }
  }

  #describe(message) {
    return Object.freeze({
      state: message.state, reason: message.reason, status: message.status, topics: message.topics,
      url: message.url, tabs: message.clients, mode: this.#mode, role: this.#transport.role,
    });
  }
}

function chooseMode(requested) {
  const wanted = requested || new URLSearchParams(globalThis.location?.search).get('ssehubMode');
  if (wanted && !MODES.includes(wanted)) throw new TypeError(`mode must be one of ${MODES.join(', ')}`);
  const leaderPossible = Boolean(globalThis.navigator?.locks) && typeof BroadcastChannel === 'function';
  if (wanted === 'direct') return 'direct';
  if (wanted !== 'leader' && typeof SharedWorker === 'function') return 'worker';
  if (leaderPossible) return 'leader';
  return 'direct';
}

// ssehub ids are <epoch>-<sequence>: within one epoch the sequence orders them. Any other id is taken as new.
function isAfter(id, last) {
  const next = /^(\d+)-(\d+)$/.exec(id);
  const prev = /^(\d+)-(\d+)$/.exec(last);
  if (!next || !prev || next[1] !== prev[1]) return true;
  return BigInt(next[2]) > BigInt(prev[2]);
}

// Names the BroadcastChannel and lock of one stream without spelling out its headers (a token).
function streamKey(url, options) {
  const text = JSON.stringify([url, options]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36) + '-' + text.length.toString(36);
}

function randomId() {
  return globalThis.crypto?.randomUUID ? crypto.randomUUID() : Math.random().toString(36).slice(2) + Date.now();
}

// A failing callback must not stop the others, nor the stream.
function call(listener, value) {
  try {
    listener(value);
  } catch (err) {
    if (typeof reportError === 'function') reportError(err);
    else setTimeout(() => { throw err; });
  }
}
