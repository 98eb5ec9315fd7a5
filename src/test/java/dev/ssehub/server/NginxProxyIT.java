package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.testkit.ExternalProcess;
import dev.ssehub.testkit.Nginx;
import dev.ssehub.testkit.SseConnection;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream behind Debian's nginx configured as docs/deploy.md says, default proxy buffering included, which our
 * {@code X-Accel-Buffering: no} turns off for the stream alone: events arrive at once (within a second, which a buffer
 * would hold them far longer than; how fast is the benchmark's business, not this test's), and
 * a reader that stops reading is still dropped by the hub instead of being absorbed by nginx's buffers. nginx is
 * started by the test on a free port, with its files under target/nginx/.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "tomcat"})
class NginxProxyIT extends ContainerTest {

    private static final Duration REQUIRED_LATENCY = Duration.ofSeconds(1);
    private static final Pattern NGINX_BLOCK = Pattern.compile("```nginx\\n(.*?)```", Pattern.DOTALL);
    private static final String DOC_UPSTREAM = "server 127.0.0.1:8080;";
    private static final String DOC_LISTEN = "listen 80;";

    private Nginx nginx;
    private final List<SseConnection> proxiedConnections = new ArrayList<>();

    @AfterEach
    void stopNginx() {
        proxiedConnections.forEach(SseConnection::close);
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void eachEventArrivesThroughNginxWithin100MillisecondsOfBeingPublished() throws Exception {
        URI proxied = startBehindNginx();
        SseConnection stream = openProxied(proxied.resolve("stream?topic=latency"));
        assertEquals(200, stream.status());
        assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
        awaitSubscribers(1);

        long slowestNanos = 0;
        for (int i = 1; i <= 20; i++) {
            String data = "event " + i;
            long publishedAt = System.nanoTime();
            EventId id = hub().publish("latency", null, data);
            SseEvent received = stream.events().awaitEvent(TIMEOUT);
            long latency = System.nanoTime() - publishedAt;
            assertEquals(new SseEvent(id.toString(), null, data, null, null), received);
            slowestNanos = Math.max(slowestNanos, latency);
        }
        Duration slowest = Duration.ofNanos(slowestNanos);
        assertTrue(slowest.compareTo(REQUIRED_LATENCY) < 0,
                "slowest of 20 events took " + slowest.toMillis() + " ms through nginx");
    }

    @Test
    void aReconnectThroughNginxReplaysWhatItMissed() throws Exception {
        URI proxied = startBehindNginx();
        List<EventId> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(hub().publish("replay", null, "event " + i));
        }

        SseConnection stream =
                openProxied(proxied.resolve("stream?topic=replay"), Map.of("Last-Event-ID", ids.get(1).toString()));

        List<SseEvent> replayed = stream.events().awaitEvents(3, TIMEOUT);
        assertEquals(ids.subList(2, 5).stream().map(EventId::toString).toList(),
                replayed.stream().map(SseEvent::id).toList());
    }

    @Test
    void nginxDoesNotBufferTheStreamSoAStalledReaderIsStillDroppedByTheHub() throws Exception {
        // Default proxy buffering would take a stalled client's backlog into nginx's buffers and a temp file of up
        // to 1 GiB, hiding the stall from the hub; with X-Accel-Buffering: no nginx only relays, and the hub's
        // queue limit acts as it does without a proxy. (With proxy_ignore_headers X-Accel-Buffering added, this
        // test failed: the reader's events were held back over 10 s on Jetty, a temp file was written on Tomcat.)
        start(Map.of("ssehub.tickInterval", "0", "ssehub.maxQueueBytes", String.valueOf(64 * 1024),
                "ssehub.maxEventBytes", String.valueOf(32 * 1024)));
        URI proxied = startNginx();
        SseConnection reader = openProxied(proxied.resolve("stream?topic=stall"));
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096); // before connecting, so the TCP window stays small
            stalled.connect(new InetSocketAddress(proxied.getHost(), proxied.getPort()));
            OutputStream request = stalled.getOutputStream();
            request.write(("GET /stream?topic=stall HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            awaitSubscribers(2);

            // Each event reaches the reader before the next is published, so only the stalled one falls behind.
            // 4,096 x 16 KiB is far more than the socket buffers on the way hold, far less than nginx would buffer.
            String chunk = "x".repeat(16 * 1024);
            int published = 0;
            while (published < 4096 && hub().subscriberCount() == 2) {
                EventId id = hub().publish("stall", null, chunk);
                published++;
                assertEquals(id.toString(), reader.events().awaitEvent(TIMEOUT).id());
            }
            assertEquals(1, hub().subscriberCount(),
                    "the stalled reader still subscribed after " + published + " events of 16 KiB");
        }
        assertFalse(nginx.errorLog().contains("buffered to a temporary file"), nginx.errorLog());
    }

    // The container on a free port, and nginx in front of it with docs/nginx/ssehub.conf.
    private URI startBehindNginx() throws Exception {
        start(Map.of("ssehub.tickInterval", "0"));
        return startNginx();
    }

    private URI startNginx() throws Exception {
        int nginxPort = ExternalProcess.freePort();
        String block = documentedBlock()
                .replace(DOC_UPSTREAM, "server 127.0.0.1:" + container.baseUri().getPort() + ";")
                .replace(DOC_LISTEN, "listen 127.0.0.1:" + nginxPort + ";");
        Path directory = Path.of(System.getProperty("ssehub.basedir", "."), "target", "nginx", containerKind);
        nginx = Nginx.start(directory.toAbsolutePath(), block, nginxPort);
        return URI.create("http://127.0.0.1:" + nginxPort + "/");
    }

    // The shipped file, docs/nginx/ssehub.conf, which docs/deploy.md must show line for line.
    private static String documentedBlock() throws Exception {
        Path base = Path.of(System.getProperty("ssehub.basedir", "."));
        Path file = base.resolve("docs/nginx/ssehub.conf");
        String text = Files.readString(file).lines().filter(line -> !line.startsWith("#"))
                .collect(Collectors.joining("\n", "", "\n"));
        Path doc = base.resolve("docs/deploy.md");
        Matcher block = NGINX_BLOCK.matcher(Files.readString(doc));
        assertTrue(block.find(), "an ```nginx block in " + doc);
        assertEquals(text, block.group(1), doc + " shows " + file);
        for (String placeholder : List.of(DOC_UPSTREAM, DOC_LISTEN)) {
            assertEquals(1, text.split(Pattern.quote(placeholder), -1).length - 1,
                    "'" + placeholder + "' once in " + file);
        }
        return text;
    }

    private SseConnection openProxied(URI uri) throws Exception {
        return openProxied(uri, Map.of());
    }

    private SseConnection openProxied(URI uri, Map<String, String> headers) throws Exception {
        SseConnection connection = SseConnection.open(uri, headers);
        proxiedConnections.add(connection);
        return connection;
    }
}
