package dev.ssehub.client;

import java.io.IOException;

/** The server answered 200 with something other than {@code text/event-stream}. The client does not retry. */
public final class ContentTypeException extends IOException {

    private final String contentType;

    ContentTypeException(String contentType) {
        super(contentType == null
                ? "no Content-Type, expected text/event-stream"
                : "Content-Type " + contentType + ", expected text/event-stream");
        this.contentType = contentType;
    }

    /** The Content-Type header as sent, or null when there was none. */
    public String contentType() {
        return contentType;
    }
}
