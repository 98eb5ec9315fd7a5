package dev.ssehub.client;

import java.io.EOFException;
import java.time.Duration;

/**
 * The server ended the stream at once, having sent nothing but {@code retry:}: how ssehub turns an EventSource away
 * when it is full (a 503 would stop a browser for good). The client reconnects after that {@code retry:} time. A
 * kind of {@link EOFException}, as the server did end the stream.
 */
public final class TurnedAwayException extends EOFException {

    private final Duration retryAfter;

    TurnedAwayException(Duration retryAfter) {
        super("the server turned the client away (it is full); retry in " + HumanDuration.of(retryAfter));
        this.retryAfter = retryAfter;
    }

    /** The server's {@code retry:}: how long the client waits before it comes back. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
