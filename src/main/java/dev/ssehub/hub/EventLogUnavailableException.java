package dev.ssehub.hub;

/** The event log cannot be reached right now; the event was not appended and may be sent again later. */
public final class EventLogUnavailableException extends RuntimeException {

    public EventLogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
