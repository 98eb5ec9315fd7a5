package dev.ssehub.hub;

/** An event whose encoded form is larger than a subscriber's queue is allowed to take; it was not published. */
public final class EventTooLargeException extends IllegalArgumentException {

    private final int encodedBytes;
    private final int limitBytes;

    EventTooLargeException(int encodedBytes, int limitBytes) {
        super("the event is " + encodedBytes + " bytes on the wire, more than " + limitBytes);
        this.encodedBytes = encodedBytes;
        this.limitBytes = limitBytes;
    }

    public int encodedBytes() {
        return encodedBytes;
    }

    public int limitBytes() {
        return limitBytes;
    }
}
