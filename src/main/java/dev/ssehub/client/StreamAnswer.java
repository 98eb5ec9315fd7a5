package dev.ssehub.client;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;

import java.io.IOException;
import java.util.Locale;

/** What the answer to a stream request means, by the WHATWG rules: read it, stop for good, or fail without retry. */
enum StreamAnswer {
    /** 200 with {@code text/event-stream}: read the stream. */
    OPEN,
    /** 204 No Content: the server's way of telling a client to stop reconnecting. */
    STOP;

    static final String EVENT_STREAM = "text/event-stream";

    /**
     * @throws HttpStatusException  for any other status
     * @throws ContentTypeException for a 200 of another media type
     */
    static StreamAnswer of(ClassicHttpResponse response) throws IOException {
        int status = response.getCode();
        if (status == 204) {
            return STOP;
        }
        if (status != 200) {
            throw HttpStatusException.of(response);
        }
        Header contentType = response.getFirstHeader("Content-Type");
        if (contentType == null || !EVENT_STREAM.equals(mediaType(contentType.getValue()))) {
            throw new ContentTypeException(contentType == null ? null : contentType.getValue());
        }
        return OPEN;
    }

    /** {@code Text/Event-Stream; charset=utf-8} becomes {@code text/event-stream}. */
    static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }
}
