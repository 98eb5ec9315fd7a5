package dev.ssehub.hub;

/** Where the hub sends a subscriber's encoded events. Implementations must never block the caller. */
public interface EventSink {

    /**
     * Queues one encoded block for writing. Returns false when the sink cannot take it (its queue is full or it is
     * closed); the hub then drops the sink, and the client reconnects and replays what it missed.
     */
    boolean offer(byte[] frame);

    /** Writes what is queued, then {@code farewell}, then ends the stream. Idempotent. */
    void finish(byte[] farewell);

    /** Ends the stream at once, dropping what is queued. Idempotent. */
    void abort();
}
