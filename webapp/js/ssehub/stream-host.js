import { Upstream } from './upstream.js';

/**
 * The one stream shared by several clients (tabs): it carries the union of their topics, reopens from the last id
 * when that union changes, and hands each event to the clients that want its topic. The SharedWorker runs one per
 * stream URL; without a SharedWorker the elected tab runs it.
 *
 * `send(message, clientIds)` delivers a message to those clients (null: to all of them). Messages:
 * {op: 'state', state, reason, status, topics, url, clients}, {op: 'event', event}, {op: 'missed', notice},
 * {op: 'position', id} (an id without an event: where the stream stands, for a tab that may host it next).
 */
export class StreamHost {
  #topicsByClient = new Map(); // client id -> Set of topics
  #send;
  #env;
  #upstream;
  #settleMillis;
  #pending = null; // timer of a union change not yet applied
  #state = { state: 'connecting', reason: '', status: 0 };

  /**
   * @param settleMillis how long to gather topic changes before the stream is reopened (many tabs start together)
   */
  constructor(url, options, send, env = globalThis, settleMillis = 0) {
    this.#send = send;
    this.#env = env;
    this.#settleMillis = settleMillis;
    this.#upstream = new Upstream(url, options, {
      onState: (state) => {
        this.#state = state;
        this.#send(this.#stateMessage(), null);
      },
      onEvent: (event) => this.#send({ op: 'event', event }, this.#clientsOf(event.topic)),
      onMissed: (notice) => this.#send({ op: 'missed', notice }, null),
      onPosition: (id) => this.#send({ op: 'position', id }, null),
    }, env);
  }

  get clientCount() {
    return this.#topicsByClient.size;
  }

  get lastEventId() {
    return this.#upstream.lastEventId;
  }

  /** The client's whole set of topics (empty: it wants none for now). A client that joins is told the state. */
  setTopics(clientId, topics) {
    const known = this.#topicsByClient.has(clientId);
    this.#topicsByClient.set(clientId, new Set(topics));
    if (!known) this.#send(this.#stateMessage(), null); // every client learns how many share the stream
    this.#unionChanged();
  }

  remove(clientId) {
    if (!this.#topicsByClient.delete(clientId)) return;
    this.#send(this.#stateMessage(), null);
    this.#unionChanged();
  }

  /** Opens the stream again after it was closed for good (a refusal), at the request of a client. */
  reconnect() {
    this.#unionChanged(); // a closed stream reopens even for the same topics
  }

  close() {
    if (this.#pending !== null) this.#env.clearTimeout(this.#pending);
    this.#pending = null;
    this.#upstream.close();
  }

  #unionChanged() {
    if (this.#pending !== null) return;
    this.#pending = this.#env.setTimeout(() => {
      this.#pending = null;
      this.#upstream.open(this.#union());
    }, this.#settleMillis);
  }

  // Sorted, so that the same topics always make the same URL and no needless reopen.
  #union() {
    const all = new Set();
    for (const topics of this.#topicsByClient.values()) topics.forEach((t) => all.add(t));
    return [...all].sort();
  }

  #clientsOf(topic) {
    const clients = [];
    for (const [client, topics] of this.#topicsByClient) {
      if (topics.has(topic)) clients.push(client);
    }
    return clients;
  }

  #stateMessage() {
    const open = this.#upstream.topics.length > 0;
    return {
      op: 'state', ...this.#state, topics: [...this.#upstream.topics],
      url: open ? this.#upstream.streamUrl : '', clients: this.#topicsByClient.size,
    };
  }
}
