package dev.ssehub.client;

import dev.ssehub.wire.SseEvent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event as one line of JSON (RFC 8259): {@code {"id":"7","event":"message","data":"hi"}}; and the other way, the
 * flat objects of strings that ssehub answers with, such as {@code {"id":"1795502950653-5","topic":"chat"}}.
 */
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

    /**
     * The members of a JSON object whose values are all strings, in order; null when {@code json} is anything else
     * (a nested value, a number, trailing text), since ssehub's answers are never that.
     */
    static Map<String, String> stringMembers(String json) {
        Cursor cursor = new Cursor(json);
        Map<String, String> members = new LinkedHashMap<>();
        if (!cursor.take('{')) {
            return null;
        }
        if (!cursor.take('}')) {
            do {
                String name = cursor.string();
                String value = name != null && cursor.take(':') ? cursor.string() : null;
                if (value == null) {
                    return null;
                }
                members.put(name, value);
            } while (cursor.take(','));
            if (!cursor.take('}')) {
                return null;
            }
        }
        cursor.skipSpace();
        return cursor.at == json.length() ? members : null;
    }

    private static final class Cursor {
        private final String text;
        private int at;

        Cursor(String text) {
            this.text = text;
        }

        void skipSpace() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        boolean take(char c) {
            skipSpace();
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        // A JSON string with its escapes undone; null when there is none here or it is malformed.
        String string() {
            if (!take('"')) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    return null;
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) {
                    return null;
                }
                char escape = text.charAt(at++);
                switch (escape) {
                    case '"', '\\', '/' -> out.append(escape);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            return null;
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException e) {
                            return null;
                        }
                        at += 4;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return null;
        }
    }
}
