package dev.ssehub.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;

/**
 * Which other origins may read the stream and publish: none by default (same-origin only), a list of origins such
 * as {@code https://app.example.com}, or {@code *} for any. Allowed origins are echoed, never {@code *}, so that
 * {@code EventSource(url, {withCredentials: true})} works. The origin {@code null} is never allowed, not even by
 * {@code *}: every sandboxed frame and {@code file://} page sends it, so a grant to one is a grant to all of them.
 */
final class CorsPolicy {

    /** What browsers send for an opaque origin: sandboxed frames, {@code file://} pages, some redirects. */
    static final String OPAQUE_ORIGIN = "null";

    private final List<String> allowedOrigins;
    private final boolean anyOrigin;

    CorsPolicy(List<String> allowedOrigins) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.anyOrigin = allowedOrigins.contains("*");
    }

    /**
     * Grants an allowed origin the right to read the answer. Nothing is refused here: browsers send an Origin on
     * same-origin requests too, and a cross-origin page without the grant cannot read what it gets.
     */
    void grant(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        response.addHeader("Vary", "Origin"); // the answer depends on it, so caches must key on it
        if (origin != null && isAllowed(origin)) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Allow-Credentials", "true");
        }
    }

    /** Answers a preflight for {@code POST /publish}: 204 with the grants, or 403 for an origin not allowed. */
    void preflight(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String origin = request.getHeader("Origin");
        if (OPAQUE_ORIGIN.equals(origin)) {
            Responses.reject(response, HttpServletResponse.SC_FORBIDDEN,
                    "origin 'null' is never allowed: sandboxed frames and file:// pages all send it");
            return;
        }
        if (origin != null && isSameOrigin(origin, request)) {
            // A page of this server needs no grant; answering 204 keeps a tool that preflights anyway working.
            response.setHeader("Access-Control-Allow-Methods", "POST");
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (origin == null || !isAllowed(origin)) {
            Responses.reject(response, HttpServletResponse.SC_FORBIDDEN,
                    "origin not allowed: add it to ssehub.allowedOrigins");
            return;
        }
        grant(request, response);
        response.setHeader("Access-Control-Allow-Methods", "POST");
        response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key");
        response.setHeader("Access-Control-Max-Age", "600");
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    // The origin of the request's own URL, as the browser saw it: scheme and the Host header (with its port).
    private static boolean isSameOrigin(String origin, HttpServletRequest request) {
        String host = request.getHeader("Host");
        return host != null && origin.equalsIgnoreCase(request.getScheme() + "://" + host);
    }

    private boolean isAllowed(String origin) {
        return !OPAQUE_ORIGIN.equals(origin) && (anyOrigin || allowedOrigins.contains(origin));
    }
}
