package dev.ssehub.hub;

/** Where the hub sends a subscriber's encoded events. Implementations must never block the caller. */
public interface EventSink {

    /**
     * Queues one encoded block for writing. Returns false when the sink cannot take it (its queue is full or it is
     * closed); the hub then drops the sink, and the client reconnects and replays what it missed. A sink that is
     * finishing ignores further blocks and returns true: its farewell is on its way.
     */
    boolean offer(byte[] frame);

    /**
     * Offers a heartbeat comment that keeps an idle connection open through proxies. A sink may skip it when it sent
     * bytes since the last one; false as for {@link #offer}.
     */
    default boolean keepAlive(byte[] comment) {
        return offer(comment);
    }

    /** Writes what is queued, then {@code farewell}, then ends the stream. Idempotent. */
    void finish(byte[] farewell);

    /** Ends the stream at once, dropping what is queued. Idempotent. */
    void abort();
}
