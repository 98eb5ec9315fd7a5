package dev.ssehub.client;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** What the answer to a stream request means, by the WHATWG rules: read it, stop for good, or fail without retry. */
enum StreamAnswer {
    /** 200 with {@code text/event-stream}: read the stream. */
    OPEN,
    /** 204 No Content: the server's way of telling a client to stop reconnecting. */
    STOP;

    static final String EVENT_STREAM = "text/event-stream";
    // Enough for a one-line reason; the rest of an error page is never read.
    private static final int MAX_REASON_BYTES = 1024;
    private static final int MAX_REASON_CHARS = 200;

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
            throw new HttpStatusException(status, reason(response));
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

    // The first line of a text body (ssehub answers errors with one), else the reason phrase, else "".
    private static String reason(ClassicHttpResponse response) {
        HttpEntity entity = response.getEntity();
        Header contentType = response.getFirstHeader("Content-Type");
        if (entity != null && contentType != null && mediaType(contentType.getValue()).equals("text/plain")) {
            try {
                String line = printable(firstLine(entity));
                if (!line.isEmpty()) {
                    return line;
                }
            } catch (IOException unreadable) {
                // the status alone decides; a body cut short only loses the reason
            }
        }
        String phrase = response.getReasonPhrase();
        return phrase == null ? "" : printable(phrase);
    }

    // Not closed here: closing would read the body to its end; the caller drops the connection instead.
    private static String firstLine(HttpEntity entity) throws IOException {
        byte[] bytes = new byte[MAX_REASON_BYTES];
        int length = 0;
        InputStream in = entity.getContent();
        int n;
        while (length < bytes.length && (n = in.read(bytes, length, bytes.length - length)) != -1) {
            length += n;
            if (indexOfLineEnd(bytes, length) >= 0) {
                break;
            }
        }
        int end = indexOfLineEnd(bytes, length);
        return new String(bytes, 0, end < 0 ? length : end, StandardCharsets.UTF_8);
    }

    private static int indexOfLineEnd(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    // A reason is echoed on a terminal: control characters escaped, length capped.
    private static String printable(String text) {
        String trimmed = text.strip();
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < trimmed.length() && out.length() < MAX_REASON_CHARS; i++) {
            char c = trimmed.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < trimmed.length() ? out + "..." : out.toString();
    }
}
