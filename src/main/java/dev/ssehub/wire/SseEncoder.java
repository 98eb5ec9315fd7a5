package dev.ssehub.wire;

import java.nio.charset.StandardCharsets;

/**
 * Turns events into {@code text/event-stream} bytes: UTF-8 without BOM, {@code field: value} with the space, and a
 * blank line after every block. Pure: no I/O, no state.
 */
public final class SseEncoder {

    private SseEncoder() {
    }

    /**
     * Encodes one block, fields in the order comment, retry, id, event, data. For example
     * {@code new SseEvent("7", "chat", "hi\nthere", null, null)} becomes
     * {@code "id: 7\nevent: chat\ndata: hi\ndata: there\n\n"}.
     */
    public static byte[] encode(SseEvent event) {
        StringBuilder out = new StringBuilder(64 + lengthOf(event.data()) + lengthOf(event.comment()));
        if (event.comment() != null) {
            appendLines(out, ":", event.comment());
        }
        if (event.retry() != null) {
            out.append("retry: ").append(event.retry().longValue()).append('\n');
        }
        if (event.id() != null) {
            out.append("id: ").append(event.id()).append('\n');
        }
        if (event.type() != null) {
            out.append("event: ").append(event.type()).append('\n');
        }
        if (event.data() != null) {
            appendLines(out, "data:", event.data());
        }
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A comment block, {@code ": text\n\n"}; browsers ignore it, proxies see traffic. */
    public static byte[] comment(String text) {
        return encode(new SseEvent(null, null, null, null, text));
    }

    /** A reconnection hint alone, {@code "retry: 3000\n\n"}. */
    public static byte[] retry(long millis) {
        return encode(new SseEvent(null, null, null, millis, null));
    }

    // The spec ends a line at CR, LF or CRLF, so each piece between them becomes its own field line.
    private static void appendLines(StringBuilder out, String field, String text) {
        int start = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                appendLine(out, field, text, start, i);
                if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        appendLine(out, field, text, start, length);
    }

    private static void appendLine(StringBuilder out, String field, String text, int from, int to) {
        out.append(field).append(' ').append(text, from, to).append('\n');
    }

    private static int lengthOf(String s) {
        return s == null ? 0 : s.length();
    }
}
