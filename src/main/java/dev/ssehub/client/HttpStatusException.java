package dev.ssehub.client;

import java.io.IOException;

/** The server answered with another status than 200 (and not 204). The client does not retry, as browsers do not. */
public final class HttpStatusException extends IOException {

    private final int status;
    private final String reason;

    HttpStatusException(int status, String reason) {
        super("HTTP " + status + (reason.isEmpty() ? "" : ": " + reason));
        this.status = status;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    /** The first line of a plain-text answer, or else the reason phrase; empty when there is neither. */
    public String reason() {
        return reason;
    }
}
