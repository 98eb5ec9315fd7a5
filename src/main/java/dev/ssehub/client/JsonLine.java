package dev.ssehub.client;

import dev.ssehub.wire.SseEvent;

/** One event as one line of JSON (RFC 8259): {@code {"id":"7","event":"message","data":"hi"}}. */
final class JsonLine {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonLine() {
    }

    /** The id is null when the stream has none yet; the event type is {@code message} when unnamed. */
    static String of(SseEvent event) {
        StringBuilder out = new StringBuilder(32 + event.data().length());
        out.append("{\"id\":");
        if (event.id() == null) {
            out.append("null");
        } else {
            quote(event.id(), out);
        }
        out.append(",\"event\":");
        quote(event.typeOrDefault(), out);
        out.append(",\"data\":");
        quote(event.data(), out);
        return out.append('}').toString();
    }

    static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // U+2028 and U+2029 are valid JSON but end a line in JavaScript; escaped for line-based readers.
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
