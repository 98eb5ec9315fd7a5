package dev.ssehub.client;

/** Text from a server made safe to print as one line of a notice: control characters escaped, length capped. */
final class OneLine {

    private static final int MAX_CHARS = 200;

    private OneLine() {
    }

    /** {@code "a\nb"} becomes {@code a\x0ab}; beyond 200 characters the rest becomes {@code ...}. */
    static String of(String text) {
        String trimmed = text.strip();
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < trimmed.length() && out.length() < MAX_CHARS; i++) {
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
