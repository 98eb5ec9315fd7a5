package dev.ssehub.client;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The server answered with another status than expected. A stream client does not retry, as browsers do not; a
 * publisher leaves the retry to its caller.
 */
public final class HttpStatusException extends IOException {

    // Enough for a one-line reason; the rest of an error page is never read.
    private static final int MAX_REASON_BYTES = 1024;

    private final int status;
    private final String reason;
    private final Duration retryAfter;

    HttpStatusException(int status, String reason, Duration retryAfter) {
        super("HTTP " + status + (reason.isEmpty() ? "" : ": " + reason));
        this.status = status;
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    /** The answer's status, its one-line reason and its {@code Retry-After}; the body is read no further. */
    static HttpStatusException of(ClassicHttpResponse response) {
        return new HttpStatusException(response.getCode(), reason(response), retryAfter(response));
    }

    public int status() {
        return status;
    }

    /** The first line of a plain-text answer, or else the reason phrase; empty when there is neither. */
    public String reason() {
        return reason;
    }

    /**
     * The answer's {@code Retry-After} (seconds, or a date: the time until then, zero when past), such as a 503 from
     * a server that is full or stopping; empty when it had none or an unreadable one.
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static Duration retryAfter(ClassicHttpResponse response) {
        Header header = response.getFirstHeader("Retry-After");
        if (header == null) {
            return null;
        }
        String value = header.getValue().trim();
        if (value.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Instant until = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration left = Duration.between(Instant.now(), until);
            return left.isNegative() ? Duration.ZERO : left;
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    // The first line of a text body (ssehub answers errors with one), else the reason phrase, else "".
    private static String reason(ClassicHttpResponse response) {
        HttpEntity entity = response.getEntity();
        Header contentType = response.getFirstHeader("Content-Type");
        if (entity != null && contentType != null
                && StreamAnswer.mediaType(contentType.getValue()).equals("text/plain")) {
            try {
                String line = OneLine.of(firstLine(entity));
                if (!line.isEmpty()) {
                    return line;
                }
            } catch (IOException unreadable) {
                // the status alone decides; a body cut short only loses the reason
            }
        }
        String phrase = response.getReasonPhrase();
        return phrase == null ? "" : OneLine.of(phrase);
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
}
