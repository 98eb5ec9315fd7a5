package dev.ssehub.client;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.util.Timeout;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * A Server-Sent Events client, the Java counterpart of a browser's {@code EventSource}, on httpclient5 and the
 * {@link dev.ssehub.wire.SseParser}.
 *
 * <pre>{@code
 * try (EventSourceClient client = EventSourceClient.builder(URI.create("http://localhost:8080/stream"))
 *         .listener(event -> System.out.println("Received event: " + event.data()))
 *         .connect()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>It sends {@code Accept: text/event-stream} and {@code Cache-Control: no-cache}, and follows the WHATWG rules:
 * an answer other than 200, or a 200 of another Content-Type, fails without retrying; 204 stops the client; a network
 * error or the end of the stream is followed by a new connection after the reconnection time (the server's
 * {@code retry:}, 3 s until it sends one) carrying {@code Last-Event-ID}. When attempts keep failing the wait grows,
 * doubling with jitter up to a cap, and starts over once a connection opens.
 *
 * <p>One thread per client, named {@code sse-client-N}, makes the requests and calls the listener. {@link #close()}
 * is thread-safe and idempotent; it aborts the request in flight and returns once that thread has ended.
 *
 * <p>Not supported: HTTP/2 (the classic httpclient5 API speaks HTTP/1.1), and the {@code withCredentials} and CORS
 * rules of browsers. Redirects are followed.
 */
public final class EventSourceClient implements AutoCloseable {

    private static final AtomicInteger THREAD_COUNT = new AtomicInteger();
    // How long close() waits for a listener callback in progress before it returns anyway.
    private static final long CLOSE_WAIT_MILLIS = 5000;

    private final ConnectionLoop loop;
    private final Thread thread;

    private EventSourceClient(ConnectionLoop loop) {
        this.loop = loop;
        this.thread = new Thread(loop, "sse-client-" + THREAD_COUNT.incrementAndGet());
        this.thread.setDaemon(true);
    }

    /** A builder for a client of the stream at {@code uri} (http or https). */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** The id a reconnection would send as {@code Last-Event-ID} now; null before any. */
    public String lastEventId() {
        return loop.lastEventId();
    }

    /**
     * Stops the client: aborts the connection or the wait in progress, and returns once the reading thread has
     * called {@code onClosed} and ended (or after 5 s, when a listener callback in progress does not return). No
     * callback but {@code onClosed} starts after this is called. Called from a listener callback, it returns at once
     * and the thread ends when the callback returns.
     */
    @Override
    public void close() {
        loop.stop();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // Both builders take only http and https URLs with a host.
    static URI requireHttp(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http or https URL: " + uri);
        }
        return uri;
    }

    public static final class Builder {

        private final URI uri;
        private EventSourceListener listener;
        private String lastEventId;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration reconnectTime = Duration.ofMillis(Backoff.DEFAULT_RECONNECT_MILLIS);
        private Duration maxReconnectTime = Duration.ofMillis(Backoff.DEFAULT_MAX_MILLIS);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofMinutes(5);
        // Each call asks the calling thread's own generator, as ThreadLocalRandom must be used.
        private RandomGenerator jitter = () -> ThreadLocalRandom.current().nextLong();

        private Builder(URI uri) {
            this.uri = requireHttp(uri);
        }

        /** Required: where events, errors and state changes go. */
        public Builder listener(EventSourceListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Starts after this event: the first request already carries {@code Last-Event-ID}. */
        public Builder lastEventId(String lastEventId) {
            if (lastEventId != null && (lastEventId.indexOf('\r') >= 0 || lastEventId.indexOf('\n') >= 0
                    || lastEventId.indexOf('\0') >= 0)) {
                throw new IllegalArgumentException("an event id has no CR, LF or NUL");
            }
            this.lastEventId = lastEventId == null || lastEventId.isEmpty() ? null : lastEventId;
            return this;
        }

        /**
         * A request header sent on every connection, such as {@code Authorization}. {@code Accept},
         * {@code Cache-Control} and {@code Last-Event-ID} are the client's own and replace a header of that name.
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The reconnection time until the server sends {@code retry:}; 3 s by default. */
        public Builder reconnectTime(Duration reconnectTime) {
            this.reconnectTime = nonNegative(reconnectTime, "reconnectTime");
            return this;
        }

        /** The longest wait that backing off after repeated failures grows to; 30 s by default. */
        public Builder maxReconnectTime(Duration maxReconnectTime) {
            this.maxReconnectTime = nonNegative(maxReconnectTime, "maxReconnectTime");
            return this;
        }

        /** How long opening a TCP connection may take; 10 s by default. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = nonNegative(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long a connection may stay silent before it counts as lost and is replaced; 5 minutes by default,
         * zero for never. Servers that send heartbeat comments (ssehub does, every 15 s) keep it from firing.
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = nonNegative(readTimeout, "readTimeout");
            return this;
        }

        // For tests: the jitter of the backoff.
        Builder jitter(RandomGenerator jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        /** Starts the client; it connects in the background and reports through the listener. */
        public EventSourceClient connect() {
            if (listener == null) {
                throw new IllegalStateException("a listener is required");
            }
            Backoff backoff = Backoff.initial(reconnectTime.toMillis(), maxReconnectTime.toMillis());
            EventSourceClient client = new EventSourceClient(
                    new ConnectionLoop(uri, headers, httpClient(), listener, lastEventId, backoff, jitter));
            client.thread.start();
            return client;
        }

        private CloseableHttpClient httpClient() {
            Timeout read = Timeout.ofMilliseconds(readTimeout.toMillis());
            return HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            // Header values such as Last-Event-ID go out as UTF-8, as browsers send them.
                            .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                                    .charCodingConfig(CharCodingConfig.custom()
                                            .setCharset(StandardCharsets.UTF_8).build())
                                    .build())
                            .setDefaultConnectionConfig(ConnectionConfig.custom()
                                    .setConnectTimeout(Timeout.ofMilliseconds(connectTimeout.toMillis()))
                                    .setSocketTimeout(read)
                                    .build())
                            .build())
                    .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(read).build())
                    // Each stream on a connection of its own: where a server or proxy ends a stream and leaves its
                    // connection open unread, a reconnect sent on it would wait out the read timeout.
                    .setConnectionReuseStrategy((request, response, context) -> false)
                    .disableAutomaticRetries() // the loop retries, with Last-Event-ID and backoff
                    .disableContentCompression() // a compressor holds events back
                    .build();
        }

        private static Duration nonNegative(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return value;
        }
    }
}
