package dev.ssehub.client;

import dev.ssehub.wire.SseEvent;

/**
 * What an {@link EventSourceClient} reports. Every call comes from the client's one reading thread, in order; none
 * comes after {@link #onClosed}. A callback that throws is logged and otherwise ignored: the stream goes on.
 */
@FunctionalInterface
public interface EventSourceListener {

    /** A connection was accepted: status 200, {@code Content-Type: text/event-stream}. Once per connection. */
    default void onOpen() {
    }

    /**
     * One dispatched event. Its {@code id} is the stream's last event id at that point (the spec carries an id over
     * to later events that have none); its {@code type} is null for an unnamed event, which browsers call
     * {@code message}.
     */
    void onEvent(SseEvent event);

    /**
     * A connection failed or ended. With {@code willRetry} the client reconnects after the reconnection time (and
     * backs off when failures repeat): a network error, or the server ending the stream ({@link java.io.EOFException}).
     * Without it the client stops for good and {@link #onClosed} follows: an answer other than 200
     * ({@link HttpStatusException}) or a Content-Type other than {@code text/event-stream}
     * ({@link ContentTypeException}).
     */
    default void onError(Throwable error, boolean willRetry) {
    }

    /**
     * The client stopped for good: {@link EventSourceClient#close()} was called, the server answered 204 No Content,
     * or an error that is not retried. Called exactly once, last.
     */
    default void onClosed() {
    }
}
