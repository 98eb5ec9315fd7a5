package dev.ssehub.server;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Error answers: a status and a one-line plain-text reason. */
final class Responses {

    private static final int MAX_ECHO = 64;

    private Responses() {
    }

    /** Answers {@code status} with the reason as one line; whatever it quotes from the request is escaped here. */
    static void reject(HttpServletResponse response, int status, String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().print(escaped(reason, Integer.MAX_VALUE) + "\n");
    }

    /** Starts an answer in JSON that no cache keeps: the status and the headers; the caller writes the body. */
    static void startJson(HttpServletResponse response, int status) {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
    }

    /** A JSON answer of one line (so that a shell prompt after curl starts on a line of its own). */
    static void json(HttpServletResponse response, int status, String json) throws IOException {
        startJson(response, status);
        response.getWriter().print(json + "\n");
    }

    /** A client-supplied value made safe to echo in a one-line reason: control characters escaped, length capped. */
    static String printable(String value) {
        String out = escaped(value, MAX_ECHO);
        return value.length() > MAX_ECHO ? out + "..." : out;
    }

    /** Whether the text holds a surrogate that is not half of a pair, which no UTF-8 byte sequence can carry. */
    static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isLoneSurrogate(text, i)) {
                return true;
            }
        }
        return false;
    }

    // C0, DEL and C1 controls would break the line or the terminal; a lone surrogate would be written as '?'.
    private static String escaped(String value, int maxChars) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < maxChars; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (isLoneSurrogate(value, i)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isLoneSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }
}
