package dev.ssehub.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental {@code text/event-stream} parser following the WHATWG "Server-sent events" parsing rules. Feed it
 * bytes in chunks of any size (a line end or a UTF-8 character may be split across chunks); it calls its listener
 * for every dispatched event. Not thread-safe: one parser belongs to one reading thread.
 *
 * <p>Lines end at CR, LF or CRLF. A leading BOM is skipped. A line starting with a colon is a comment; a line with
 * no colon is a field with an empty value; one space after the colon is stripped. {@code id} values containing NUL
 * are ignored, {@code retry} is honoured only when it is all ASCII digits (and fits a {@code long}), a blank line
 * dispatches the event if any {@code data} was seen, and the last event id carries over to later events. What follows
 * the last blank line at the end of the stream is discarded, its {@code id} included. Invalid UTF-8 becomes U+FFFD as
 * the JDK decoder counts it, which differs from the WHATWG decoder only for encoded surrogates (one U+FFFD, not three).
 */
public final class SseParser {

    /** What the parser reports. Only {@link #onEvent} is required. */
    public interface Listener {
        void onEvent(SseEvent event);

        /** A comment line's text (one leading space stripped); heartbeats arrive here. */
        default void onComment(String comment) {
        }

        /** A valid {@code retry:} field, as soon as its line ends. */
        default void onRetry(long millis) {
        }
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final Listener listener;

    // The line being assembled, still as bytes so a UTF-8 character split across chunks decodes whole.
    private byte[] line = new byte[128];
    private int lineLength;
    private boolean previousWasCr;
    private boolean atStreamStart = true;

    private final StringBuilder data = new StringBuilder();
    private boolean sawData;
    private String type = "";
    // The spec's "last event ID buffer": set by id lines, committed to lastEventId only by a blank line.
    private String idBuffer;
    private String lastEventId;
    private Long blockRetry;
    private StringBuilder blockComment;

    public SseParser(Listener listener) {
        this(listener, null);
    }

    /** A parser for a reconnection, starting from the last event id the previous connection saw. */
    public SseParser(Listener listener, String lastEventId) {
        this.listener = listener;
        this.lastEventId = lastEventId == null || lastEventId.isEmpty() ? null : lastEventId;
        this.idBuffer = this.lastEventId;
    }

    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    public void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b == LF && previousWasCr) {
                previousWasCr = false; // the LF of a CRLF: the line already ended at the CR
                continue;
            }
            previousWasCr = b == CR;
            if (b == CR || b == LF) {
                endLine();
            } else {
                append(b);
            }
        }
    }

    /** The end of the stream: an event not yet ended by a blank line is discarded, as the spec says. */
    public void finish() {
        lineLength = 0;
        previousWasCr = false;
        data.setLength(0);
        sawData = false;
        type = "";
        idBuffer = lastEventId; // an id in the discarded block was never received, so a reconnection must not claim it
        blockRetry = null;
        blockComment = null;
    }

    /** The id a reconnection should send as {@code Last-Event-ID}, as of the last blank line; null when none. */
    public String lastEventId() {
        return lastEventId;
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
    }

    private void endLine() {
        int from = 0;
        if (atStreamStart) {
            atStreamStart = false;
            if (lineLength >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
                from = 3;
            }
        }
        String text = new String(line, from, lineLength - from, StandardCharsets.UTF_8);
        lineLength = 0;
        processLine(text);
    }

    private void processLine(String text) {
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        int colon = text.indexOf(':');
        if (colon == 0) {
            comment(valueAfter(text, 0));
        } else if (colon > 0) {
            field(text.substring(0, colon), valueAfter(text, colon));
        } else {
            field(text, "");
        }
    }

    private static String valueAfter(String text, int colon) {
        int start = colon + 1;
        if (start < text.length() && text.charAt(start) == ' ') {
            start++;
        }
        return text.substring(start);
    }

    private void comment(String text) {
        if (blockComment == null) {
            blockComment = new StringBuilder(text);
        } else {
            blockComment.append('\n').append(text);
        }
        listener.onComment(text);
    }

    private void field(String name, String value) {
        switch (name) {
            case "event" -> type = value;
            case "data" -> {
                data.append(value).append('\n');
                sawData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    idBuffer = value.isEmpty() ? null : value;
                }
            }
            case "retry" -> retry(value);
            default -> {
                // unknown fields are ignored, as the spec says
            }
        }
    }

    private void retry(String value) {
        if (value.isEmpty()) {
            return;
        }
        long millis = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return;
            }
            int digit = c - '0';
            if (millis > (Long.MAX_VALUE - digit) / 10) {
                return; // all digits but beyond a long: no delay we could honour, so ignored
            }
            millis = millis * 10 + digit;
        }
        blockRetry = millis;
        listener.onRetry(millis);
    }

    private void dispatch() {
        lastEventId = idBuffer; // the spec commits the id first, even for a block without data
        if (!sawData) {
            type = "";
            blockRetry = null;
            blockComment = null;
            return;
        }
        data.setLength(data.length() - 1); // the spec drops the LF after the last data line
        SseEvent event = new SseEvent(lastEventId, type.isEmpty() ? null : type, data.toString(), blockRetry,
                blockComment == null ? null : blockComment.toString());
        data.setLength(0);
        sawData = false;
        type = "";
        blockRetry = null;
        blockComment = null;
        listener.onEvent(event);
    }
}
