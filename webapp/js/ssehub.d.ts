// Types of ssehub.js, the ES module served at js/ssehub.js.

/** One event of a subscribed topic. `type` is "message" for events published without one. */
export interface SseHubEvent {
  readonly topic: string;
  readonly type: string;
  readonly id: string;
  readonly data: string;
}

/** The server could not replay what was missed (`reason`: too-old, unknown or malformed); the stream goes on. */
export interface SseHubMissed {
  readonly id: string;
  readonly lastEventId: string;
  readonly reason: string;
  /** The notice's raw JSON. */
  readonly data: string;
}

export type SseHubMode = 'worker' | 'leader' | 'direct';

/** The shared stream's state, as every tab that uses it sees it. */
export interface SseHubState {
  readonly state: 'connecting' | 'open' | 'reconnecting' | 'closed';
  /** Why it is reconnecting or closed, e.g. "HTTP 400: invalid topic name ..."; empty otherwise. */
  readonly reason: string;
  /** The HTTP status that closed it; 0 otherwise. */
  readonly status: number;
  /** The topics the stream carries: those of every tab. */
  readonly topics: readonly string[];
  /** The stream's URL; empty while no topic is subscribed. */
  readonly url: string;
  /** How many tabs (hubs) share the stream. */
  readonly tabs: number;
  readonly mode: SseHubMode;
  /** worker, direct, or in the leader mode whether this tab holds the stream: leader or follower. */
  readonly role: 'worker' | 'leader' | 'follower' | 'direct';
}

export interface SseHubSubscription {
  readonly topics: readonly string[];
  /** Ends this subscription; the stream drops its topics when no tab wants them. */
  close(): void;
}

export interface SseHubOptions {
  /** Sent with every request of the stream, e.g. { Authorization: 'Bearer ...' }. */
  headers?: Record<string, string>;
  /** Send cookies to another origin (like EventSource's withCredentials). */
  withCredentials?: boolean;
  /** Forces a mode (tests); by default worker where SharedWorker exists, else leader, else direct. */
  mode?: SseHubMode;
}

export interface Hub {
  readonly mode: SseHubMode;
  readonly state: SseHubState;
  /** Calls onEvent for every event of these topics (1 to 64 characters of A-Z a-z 0-9 _ . -), in order. */
  subscribe(topics: string | readonly string[], onEvent: (event: SseHubEvent) => void): SseHubSubscription;
  /** Calls the listener now and on every change; returns a function that stops it. */
  onState(listener: (state: SseHubState) => void): () => void;
  /** Returns a function that stops the listener. */
  onMissed(listener: (notice: SseHubMissed) => void): () => void;
  /** Opens the stream again after the server refused it. */
  reconnect(): void;
  /** Leaves the shared stream (also done on pagehide). */
  close(): void;
}

export declare const SseHub: {
  /** Connects to the stream at `url`, relative to the page (e.g. 'stream'). */
  connect(url: string, options?: SseHubOptions): Hub;
};
