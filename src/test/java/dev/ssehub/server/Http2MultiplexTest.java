package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.Hub;
import dev.ssehub.testkit.RecordingListener;
import dev.ssehub.testkit.ServletContainer;
import dev.ssehub.wire.SseEvent;
import dev.ssehub.wire.SseParser;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.H2AsyncClientBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ssehub.server.ContainerTest.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /stream over cleartext HTTP/2 (Jetty's h2c connector, prior knowledge): many streams share one TCP
 * connection, each gets every event, and the response carries no header that HTTP/2 forbids (RFC 9113, 8.2.2).
 */
class Http2MultiplexTest {

    private static final int STREAMS = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> CONNECTION_SPECIFIC =
            List.of("Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade");

    private ServletContainer container;
    private CloseableHttpAsyncClient client;

    @BeforeEach
    void start() throws Exception {
        // Events up to 128 KiB, so that one is larger than HTTP/2's initial stream window.
        container = ServletContainer.start("jetty-h2c", Map.of("ssehub.tickInterval", "0",
                "ssehub.maxEventBytes", String.valueOf(128 * 1024), "ssehub.maxQueueBytes", String.valueOf(256 * 1024)));
        client = H2AsyncClientBuilder.create()
                .setH2Config(H2Config.custom().setPushEnabled(false).build())
                .build();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close(CloseMode.IMMEDIATE);
        }
        if (container != null) {
            container.close();
        }
    }

    @Test
    void twentyStreamsOnOneConnectionEachReceiveEveryEvent() throws Exception {
        List<H2Stream> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            streams.add(open(container.uri("stream?topic=h2")));
        }
        for (H2Stream stream : streams) {
            assertEquals(200, stream.response().getCode());
        }
        awaitUntil(() -> hub().subscriberCount() == STREAMS, STREAMS + " subscribers");

        List<SseEvent> published = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            String data = "event " + i + "\nsecond line";
            EventId id = hub().publish("h2", i % 2 == 0 ? "even" : null, data);
            published.add(new SseEvent(id.toString(), i % 2 == 0 ? "even" : null, data, null, null));
        }
        // Larger than HTTP/2's initial 64 KiB stream window: it only arrives whole if window updates flow.
        String large = "x".repeat(100 * 1024);
        published.add(new SseEvent(hub().publish("h2", "large", large).toString(), "large", large, null, null));

        for (H2Stream stream : streams) {
            assertEquals(published, stream.events().awaitEvents(published.size(), TIMEOUT));
            stream.events().assertNoneYet();
        }
        assertEquals(1, container.connectionsAccepted(), "TCP connections the server accepted for " + STREAMS
                + " streams");
    }

    @Test
    void responseHeadersAreLegalOverHttp2() throws Exception {
        H2Stream stream = open(container.uri("stream"));
        HttpResponse response = stream.response();

        assertEquals(HttpVersion.HTTP_2, stream.version(), "the protocol the stream was served over");
        assertEquals(200, response.getCode());
        for (String name : CONNECTION_SPECIFIC) {
            assertFalse(response.containsHeader(name), name + " is connection-specific, illegal in HTTP/2");
        }
        assertEquals("text/event-stream;charset=utf-8",
                response.getFirstHeader("Content-Type").getValue().toLowerCase().replace(" ", ""));
        assertEquals("no-cache, no-transform", response.getFirstHeader("Cache-Control").getValue());
        assertNull(response.getFirstHeader("Content-Encoding"));
        for (Header header : response.getHeaders()) {
            assertEquals(header.getName().toLowerCase(), header.getName(), "HTTP/2 header names are lower case");
        }
        awaitUntil(() -> stream.events().retries().equals(List.of(3000L)), "the retry hint");
    }

    private Hub hub() {
        return HubRuntime.of(container.servletContext()).hub();
    }

    private H2Stream open(URI uri) throws Exception {
        H2Stream stream = new H2Stream();
        client.execute(AsyncRequestBuilder.get(uri).addHeader("Accept", "text/event-stream").build(), stream, null);
        stream.headers.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return stream;
    }

    /** One HTTP/2 stream of events: its response head, and its body parsed as it arrives. */
    private static final class H2Stream extends AbstractBinResponseConsumer<Void> {

        private final CompletableFuture<HttpResponse> headers = new CompletableFuture<>();
        private final RecordingListener events = new RecordingListener();
        private final SseParser parser = new SseParser(events);
        private volatile ProtocolVersion version;

        HttpResponse response() {
            return headers.join();
        }

        ProtocolVersion version() {
            return version;
        }

        RecordingListener events() {
            return events;
        }

        @Override
        protected void start(HttpResponse response, ContentType contentType) {
            version = response.getVersion();
            headers.complete(response);
        }

        @Override
        protected int capacityIncrement() {
            return Integer.MAX_VALUE;
        }

        @Override
        protected void data(ByteBuffer data, boolean endOfStream) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            parser.feed(bytes, 0, bytes.length);
        }

        @Override
        protected Void buildResult() {
            return null;
        }

        @Override
        public void failed(Exception cause) {
            headers.completeExceptionally(cause);
        }

        @Override
        public void releaseResources() {
        }
    }
}
