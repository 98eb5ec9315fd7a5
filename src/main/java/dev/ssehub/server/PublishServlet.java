package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.EventTooLargeException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * {@code POST /publish}: publishes one event to a topic for a client holding the publish token. The body is form
 * fields or a JSON object with {@code topic}, {@code data} and optionally {@code event}; the answer is
 * {@code {"id":"...","topic":"..."}}, sent once the event is in the replay log. Every refusal is a 4xx with a
 * one-line reason, and publishes nothing.
 */
public final class PublishServlet extends HttpServlet {

    private transient HubRuntime runtime;
    private transient BearerToken token;
    private transient CorsPolicy cors;

    @Override
    public void init() {
        runtime = HubRuntime.of(getServletContext());
        Settings settings = runtime.settings();
        token = settings.publishingEnabled() ? new BearerToken(settings.publishToken()) : null;
        cors = runtime.cors();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getMethod()) {
            case "POST" -> publish(request, response);
            case "OPTIONS" -> cors.preflight(request, response);
            default -> {
                response.setHeader("Allow", "POST, OPTIONS");
                Responses.reject(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "use POST to publish");
            }
        }
    }

    private void publish(HttpServletRequest request, HttpServletResponse response) throws IOException {
        cors.grant(request, response);
        try {
            authorize(request.getHeader("Authorization"), response);
            byte[] body = readBody(request, runtime.settings().maxEventBytes());
            PublishRequest publish = PublishRequest.parse(request.getContentType(), body);
            EventId id = runtime.hub().publish(publish.topic(), publish.type(), publish.data());
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            response.getWriter().print("{\"id\":\"" + id + "\",\"topic\":\"" + publish.topic() + "\"}");
        } catch (EventTooLargeException tooLarge) {
            Responses.reject(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    tooLarge.getMessage() + " (ssehub.maxEventBytes): send less data or fewer lines");
        } catch (Rejection rejection) {
            Responses.reject(response, rejection.status(), rejection.getMessage());
        } catch (IllegalStateException stopping) {
            response.setHeader("Retry-After", "5");
            Responses.reject(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the hub is shutting down");
        }
    }

    private void authorize(String authorization, HttpServletResponse response) throws Rejection {
        if (token == null) {
            throw new Rejection(HttpServletResponse.SC_FORBIDDEN,
                    "publishing is off: set a token with ssehub.publishToken or SSEHUB_PUBLISH_TOKEN to turn it on");
        }
        if (authorization == null) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ssehub\"");
            throw new Rejection(HttpServletResponse.SC_UNAUTHORIZED, "missing Authorization: Bearer <token>");
        }
        if (!token.matches(authorization)) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ssehub\", error=\"invalid_token\"");
            throw new Rejection(HttpServletResponse.SC_UNAUTHORIZED, "wrong publish token");
        }
    }

    // Reads at most one byte past the limit, so an oversized body costs no more than the limit to refuse.
    private static byte[] readBody(HttpServletRequest request, int limit) throws IOException, Rejection {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        byte[] buffer = new byte[declared >= 0 ? (int) declared : Math.min(limit + 1, 8192)];
        int length = 0;
        try (InputStream in = request.getInputStream()) {
            while (true) {
                if (length == buffer.length) {
                    if (length > limit) {
                        throw tooLarge(limit);
                    }
                    buffer = Arrays.copyOf(buffer, Math.min(limit + 1, buffer.length * 2 + 1));
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
        }
        if (length > limit) {
            throw tooLarge(limit);
        }
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }

    private static Rejection tooLarge(int limit) {
        return new Rejection(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                "the body is larger than " + limit + " bytes (ssehub.maxEventBytes)");
    }
}
