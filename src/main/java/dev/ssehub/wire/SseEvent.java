package dev.ssehub.wire;

/**
 * One server-sent event as it travels on the wire.
 *
 * <p>Every field may be null, meaning "no such line": {@code id} (no {@code id:} line), {@code type} (no
 * {@code event:} line, so browsers see a {@code message}), {@code data} (no {@code data:} line, so the block
 * dispatches nothing and only carries its id, retry or comment), {@code retry} (no {@code retry:} hint) and
 * {@code comment} (no comment lines). Data and comments may contain CR, LF and CRLF; the encoder splits them into
 * one line each. Id and type are single lines: CR and LF are refused in both, so a value taken from a user can
 * never end the line early and smuggle in fields of its own; NUL is refused in the id, which parsers would ignore.
 */
public record SseEvent(String id, String type, String data, Long retry, String comment) {

    public SseEvent {
        if (id != null && !isSingleLine(id)) {
            throw new IllegalArgumentException("id must not contain CR, LF or NUL");
        }
        if (type != null && (type.indexOf('\r') >= 0 || type.indexOf('\n') >= 0)) {
            throw new IllegalArgumentException("event type must not contain CR or LF");
        }
        if (retry != null && retry < 0) {
            throw new IllegalArgumentException("retry must not be negative: " + retry);
        }
    }

    /** An unnamed event ({@code message}) carrying only data. */
    public static SseEvent data(String data) {
        return new SseEvent(null, null, data, null, null);
    }

    public SseEvent withId(String newId) {
        return new SseEvent(newId, type, data, retry, comment);
    }

    public SseEvent withType(String newType) {
        return new SseEvent(id, newType, data, retry, comment);
    }

    public SseEvent withRetry(Long newRetry) {
        return new SseEvent(id, type, data, newRetry, comment);
    }

    public SseEvent withComment(String newComment) {
        return new SseEvent(id, type, data, retry, newComment);
    }

    /** The type a browser dispatches this event under. */
    public String typeOrDefault() {
        return type == null || type.isEmpty() ? "message" : type;
    }

    /** Whether a value can be used as an {@code id} or {@code event} line: no CR, LF or NUL. */
    public static boolean isSingleLine(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                return false;
            }
        }
        return true;
    }
}
