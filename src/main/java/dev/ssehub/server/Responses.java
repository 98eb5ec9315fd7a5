package dev.ssehub.server;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Error answers: a status and a one-line plain-text reason. */
final class Responses {

    private Responses() {
    }

    static void reject(HttpServletResponse response, int status, String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().print(reason + "\n");
    }

    /** A client-supplied value made safe to echo in a one-line reason: control characters escaped, length capped. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 64; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return value.length() > 64 ? out + "..." : out.toString();
    }
}
