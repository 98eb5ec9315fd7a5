package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.EventLogUnavailableException;
import dev.ssehub.hub.EventTooLargeException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code POST /publish}: publishes one event to a topic for a client holding the publish token, or a signed token
 * whose publish grants cover the topic ({@link TopicAccess}). The body is form
 * fields or a JSON object with {@code topic}, {@code data} and optionally {@code event}; the answer is
 * {@code {"id":"...","topic":"..."}}, sent once the event is in the replay log. The token is checked before the
 * body is read, and the body is read without holding a thread ({@link BodyReader}). Every refusal is a 4xx (503
 * while the hub stops) with a one-line reason, and publishes nothing.
 */
public final class PublishServlet extends HttpServlet {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private transient HubRuntime runtime;
    private transient CorsPolicy cors;

    @Override
    public void init() {
        runtime = HubRuntime.of(getServletContext());
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
        String contentType = request.getContentType();
        Settings settings = runtime.settings();
        BodyReader body = BodyReader.start(request, settings.maxEventBytes(), settings.bodyReadTimeoutMillis(),
                this::answered);
        String idempotencyKey;
        TopicPatterns grants;
        try {
            grants = runtime.access().permitPublish(request.getHeader("Authorization"), response);
            idempotencyKey = idempotencyKey(request.getHeader(IDEMPOTENCY_KEY));
        } catch (Rejection rejection) {
            body.refuse(rejection); // before a byte of the body is read
            return;
        }
        body.read(bytes -> {
            PublishRequest publish = PublishRequest.parse(contentType, bytes);
            TopicAccess.requirePublish(grants, publish.topic(), response);
            answer(publish, idempotencyKey, response);
        });
    }

    private void answered(int status) {
        if (status >= 400) {
            runtime.metrics().refused(status);
        }
    }

    private void answer(PublishRequest publish, String idempotencyKey, HttpServletResponse response)
            throws Rejection, IOException {
        long started = System.nanoTime();
        EventId id = publishToHub(publish, idempotencyKey, response);
        runtime.metrics().publishTook(System.nanoTime() - started);
        Responses.json(response, HttpServletResponse.SC_OK,
                "{\"id\":\"" + id + "\",\"topic\":\"" + publish.topic() + "\"}");
    }

    // The hub's refusals of one event: each is one catch clause here that throws the Rejection answering it.
    private EventId publishToHub(PublishRequest publish, String idempotencyKey, HttpServletResponse response)
            throws Rejection {
        try {
            return runtime.hub().publish(publish.topic(), publish.type(), publish.data(), idempotencyKey);
        } catch (EventTooLargeException tooLarge) {
            throw new Rejection(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    tooLarge.getMessage() + " (ssehub.maxEventBytes): send less data or fewer lines");
        } catch (EventLogUnavailableException unreachable) {
            response.setHeader("Retry-After", "1");
            throw new Rejection(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "the shared event log (Redis) is unreachable: nothing was published, try again");
        } catch (IllegalStateException stopping) {
            response.setHeader("Retry-After", "5");
            throw new Rejection(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the hub is shutting down");
        }
    }

    // A publisher that retries with the same key within minutes gets the first id; nothing is published twice.
    private static String idempotencyKey(String header) throws Rejection {
        if (header == null) {
            return null;
        }
        boolean visibleAscii = !header.isEmpty() && header.length() <= 128
                && header.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        if (!visibleAscii) {
            throw new Rejection(HttpServletResponse.SC_BAD_REQUEST,
                    IDEMPOTENCY_KEY + " must be 1 to 128 visible ASCII characters");
        }
        return header;
    }
}
