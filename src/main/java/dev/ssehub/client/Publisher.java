package dev.ssehub.client;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes events to ssehub's {@code POST /publish}, on httpclient5; the counterpart of {@link EventSourceClient}.
 *
 * <pre>{@code
 * try (Publisher publisher = Publisher.builder(URI.create("http://localhost:8080/publish")).token(token).build()) {
 *     String id = publisher.publish("chat", "hello");
 *     publisher.publish(Publication.of("alerts", "disk full").withType("notification").withIdempotencyKey("db-2-full"));
 * }
 * }</pre>
 *
 * <p>Each call sends one JSON request and returns the id the hub gave the event, once it is in the replay log. A
 * refusal throws {@link HttpStatusException} with the status and the server's one-line reason (401 wrong token, 403
 * no grant, 413 too large, 503 with {@link HttpStatusException#retryAfter()}); nothing is retried: a caller that
 * retries after a timeout sends an idempotency key, so that the event is published once. Thread-safe; close it to
 * release its connections.
 */
public final class Publisher implements AutoCloseable {

    // The answer is {"id":"...","topic":"..."}; anything longer is not ssehub's.
    private static final int MAX_ANSWER_BYTES = 4096;

    private final URI uri;
    private final String token;
    private final CloseableHttpClient http;

    private Publisher(URI uri, String token, CloseableHttpClient http) {
        this.uri = uri;
        this.token = token;
        this.http = http;
    }

    /** A builder for a publisher to ssehub's publish URL, such as {@code http://localhost:8080/publish}. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** Publishes an unnamed event ({@code message}); returns its id. */
    public String publish(String topic, String data) throws IOException {
        return publish(Publication.of(topic, data));
    }

    /**
     * Publishes one event; returns its id, such as {@code 1795502950653-5}.
     *
     * @throws HttpStatusException for a refusal: any answer but 200
     * @throws IOException         when the server cannot be reached or its answer has no id
     */
    public String publish(Publication publication) throws IOException {
        HttpPost request = new HttpPost(uri);
        if (token != null) {
            request.setHeader("Authorization", "Bearer " + token);
        }
        if (publication.idempotencyKey() != null) {
            request.setHeader("Idempotency-Key", publication.idempotencyKey());
        }
        request.setHeader("Accept", "application/json");
        request.setEntity(new StringEntity(json(publication), ContentType.APPLICATION_JSON));
        return http.execute(request, Publisher::id);
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }

    // {"topic":"chat","event":"note","data":"hello"}
    static String json(Publication publication) {
        StringBuilder out = new StringBuilder("{\"topic\":");
        JsonLine.quote(publication.topic(), out);
        if (publication.type() != null) {
            out.append(",\"event\":");
            JsonLine.quote(publication.type(), out);
        }
        out.append(",\"data\":");
        JsonLine.quote(publication.data(), out);
        return out.append('}').toString();
    }

    private static String id(ClassicHttpResponse response) throws IOException {
        if (response.getCode() != 200) {
            throw HttpStatusException.of(response);
        }
        String answer = text(response.getEntity());
        Map<String, String> members = JsonLine.stringMembers(answer);
        if (members == null || members.get("id") == null) {
            throw new IOException("the answer has no id: " + OneLine.of(answer));
        }
        return members.get("id");
    }

    private static String text(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            return new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
        }
    }

    public static final class Builder {

        private final URI uri;
        private String token;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(URI uri) {
            this.uri = EventSourceClient.requireHttp(uri);
        }

        /** The publish token, or a signed token with a publish grant; sent as {@code Authorization: Bearer}. */
        public Builder token(String token) {
            if (token != null && !Publication.isSingleLine(token)) {
                throw new IllegalArgumentException("a token has no CR, LF or NUL");
            }
            this.token = token;
            return this;
        }

        /** How long opening a TCP connection may take; 10 s by default. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long the answer may take once the request is sent; 30 s by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Publisher build() {
            Timeout answer = Timeout.ofMilliseconds(timeout.toMillis());
            CloseableHttpClient http = HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setDefaultConnectionConfig(ConnectionConfig.custom()
                                    .setConnectTimeout(Timeout.ofMilliseconds(connectTimeout.toMillis()))
                                    .setSocketTimeout(answer)
                                    .build())
                            .build())
                    .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(answer).build())
                    .disableAutomaticRetries() // a blind retry could publish twice: the caller decides, with a key
                    .build();
            return new Publisher(uri, token, http);
        }
    }
}
