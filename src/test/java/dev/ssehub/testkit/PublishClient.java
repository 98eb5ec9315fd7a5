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
        Http.Reply reply = post(webappRoot, token, topic, type, data);
        assertEquals(200, reply.status(), "POST /publish answered " + reply.status() + ": " + reply.body());
        Matcher id = ID.matcher(reply.body());
        assertTrue(id.find(), "no id in the answer of POST /publish: " + reply.body());
        return id.group(1);
    }

    public static Http.Reply post(URI webappRoot, String token, String topic, String type, String data)
            throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("topic", topic);
        form.put("data", data);
        if (type != null) {
            form.put("event", type);
        }
        String body = form.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        return Http.send("POST", webappRoot.resolve("publish"), Map.of("Authorization", "Bearer " + token),
                body.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
