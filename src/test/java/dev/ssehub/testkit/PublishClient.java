package dev.ssehub.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /publish} as a program calls it: a bearer token and form fields; the answer is {"id":"..."}. */
public final class PublishClient {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private PublishClient() {
    }

    /** Publishes one event and returns the id the hub gave it, failing the test on any other answer than 200. */
    public static String publish(URI webappRoot, String token, String topic, String type, String data)
            throws IOException {
        return idOf(post(webappRoot, token, topic, type, data));
    }

    /** The id in a 200 answer of POST /publish; fails the test on any other answer. */
    public static String idOf(Http.Reply reply) {
        assertEquals(200, reply.status(), "POST /publish answered " + reply.status() + ": " + reply.body());
        Matcher id = ID.matcher(reply.body());
        assertTrue(id.find(), "no id in the answer of POST /publish: " + reply.body());
        return id.group(1);
    }

    public static Http.Reply post(URI webappRoot, String token, String topic, String type, String data)
            throws IOException {
        return post(webappRoot, token, null, topic, type, data);
    }

    /**
     * As {@link #post(URI, String, String, String, String)}, with an {@code Idempotency-Key} header unless the key is
     * null: a retry with the same key answers the first publish's id and publishes nothing new.
     */
    public static Http.Reply post(URI webappRoot, String token, String idempotencyKey, String topic, String type,
            String data) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("topic", topic);
        form.put("data", data);
        if (type != null) {
            form.put("event", type);
        }
        String body = form.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        return Http.send("POST", webappRoot.resolve("publish"), headers, body.getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
