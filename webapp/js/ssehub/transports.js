import { StreamHost } from './stream-host.js';
import { holdLife, watchLife } from './liveness.js';

/*
 * How one tab reaches the shared stream. All three take the tab's topics (setTopics), pass on a reconnect request
 * and a goodbye (close), and hand every message of the StreamHost (state, event, missed) to `receive`.
 *   WorkerTransport: a port to the origin's SharedWorker, which hosts the stream.
 *   LeaderTransport: the tabs elect one (a Web Lock) to host it and talk over a BroadcastChannel.
 *   DirectTransport: this tab alone hosts its own stream (no SharedWorker, no Web Locks).
 */

// How long a newly elected tab gathers the other tabs' topics before it opens the stream.
const TAKEOVER_SETTLE_MILLIS = 100;

export class WorkerTransport {
  role = 'worker';
  #port;
  #client;
  #ready;

  constructor(url, options, client, receive, workerUrl) {
    this.#client = client;
    const worker = new SharedWorker(workerUrl, { type: 'module', name: 'ssehub' });
    this.#port = worker.port;
    this.#port.onmessage = (message) => receive(message.data);
    // The worker must see the life lock held before it starts watching it.
    this.#ready = holdLife(client).then(() => this.#post({ op: 'hello', url, options }));
  }

  setTopics(topics) {
    this.#ready.then(() => this.#post({ op: 'topics', topics }));
  }

  reconnect() {
    this.#ready.then(() => this.#post({ op: 'reconnect' }));
  }

  close() {
    this.#post({ op: 'bye' });
    this.#port.close();
  }

  #post(message) {
    this.#port.postMessage({ ...message, client: this.#client });
  }
}

export class LeaderTransport {
  role = 'follower';
  #url;
  #options;
  #client;
  #receive;
  #channel;
  #topics = [];
  #lastSeenId = '';       // the stream's position (its last event or id), so a new leader resumes where the old one was
  #host = null;           // while this tab leads
  #resign = null;         // ends the lead, releasing the lock
  #watches = new Map();   // follower -> stop watching its life lock
  #closed = false;

  constructor(url, options, client, receive, key) {
    this.#url = url;
    this.#options = options;
    this.#client = client;
    this.#receive = receive;
    this.#channel = new BroadcastChannel('ssehub:' + key);
    this.#channel.onmessage = (message) => this.#onChannel(message.data);
    holdLife(client).then(() => {
      if (this.#closed) return;
      this.#channel.postMessage({ op: 'topics', client, topics: this.#topics });
      navigator.locks.request('ssehub-leader:' + key, () => this.#lead());
    });
  }

  setTopics(topics) {
    this.#topics = topics;
    if (this.#host) this.#host.setTopics(this.#client, topics);
    else this.#channel.postMessage({ op: 'topics', client: this.#client, topics });
  }

  reconnect() {
    if (this.#host) this.#host.reconnect();
    else this.#channel.postMessage({ op: 'reconnect', client: this.#client });
  }

  close() {
    this.#closed = true;
    if (this.#host) {
      this.#host.close();
      this.#watches.forEach((stop) => stop());
      this.#resign();
    } else {
      this.#channel.postMessage({ op: 'bye', client: this.#client });
    }
    this.#channel.close();
  }

  // Runs while this tab holds the leader lock; the lock goes with the tab, or when the promise returned resolves.
  #lead() {
    if (this.#closed) return undefined;
    this.role = 'leader';
    this.#host = new StreamHost(this.#url, { ...this.#options, lastEventId: this.#lastSeenId },
      (message, ids) => this.#fromHost(message, ids), globalThis, TAKEOVER_SETTLE_MILLIS);
    this.#host.setTopics(this.#client, this.#topics);
    this.#channel.postMessage({ op: 'roll-call' });
    return new Promise((resolve) => { this.#resign = resolve; });
  }

  // The followers filter by their own topics, so one broadcast serves them all.
  #fromHost(message, ids) {
    this.#channel.postMessage(message);
    if (ids === null || ids.includes(this.#client)) this.#deliver(message);
  }

  #onChannel(message) {
    if (this.#host) {
      this.#asLeader(message);
    } else if (message.op === 'roll-call') {
      this.#channel.postMessage({ op: 'topics', client: this.#client, topics: this.#topics });
    } else if (['state', 'event', 'missed', 'position'].includes(message.op)) {
      this.#deliver(message);
    }
  }

  #asLeader(message) {
    const { op, client } = message;
    if (op === 'topics') {
      if (!this.#watches.has(client)) this.#watches.set(client, watchLife(client, () => this.#leave(client)));
      this.#host.setTopics(client, message.topics);
    } else if (op === 'bye') {
      this.#leave(client);
    } else if (op === 'reconnect') {
      this.#host.reconnect();
    }
  }

  #leave(client) {
    const stop = this.#watches.get(client);
    if (stop) stop();
    this.#watches.delete(client);
    this.#host.remove(client);
  }

  #deliver(message) {
    if (message.op === 'position') {
      this.#lastSeenId = message.id; // nothing for the tab itself: only where a new leader would resume
      return;
    }
    const id = message.op === 'event' ? message.event.id : message.op === 'missed' ? message.notice.id : null;
    if (id) this.#lastSeenId = id;
    this.#receive(message);
  }
}

export class DirectTransport {
  role = 'direct';
  #host;
  #client;

  constructor(url, options, client, receive) {
    this.#client = client;
    this.#host = new StreamHost(url, options, (message) => receive(message));
  }

  setTopics(topics) {
    this.#host.setTopics(this.#client, topics);
  }

  reconnect() {
    this.#host.reconnect();
  }

  close() {
    this.#host.close();
  }
}
