package dev.ssehub.deploy;

import dev.ssehub.hub.EventId;
import dev.ssehub.testkit.ContainerDistribution;
import dev.ssehub.testkit.ContainerDistribution.Release;
import dev.ssehub.testkit.Http;
import dev.ssehub.testkit.PublishClient;
import dev.ssehub.testkit.RawConnection;
import dev.ssehub.testkit.SseConnection;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged WAR in the containers users run it in: each distribution is started once, as a process of its own,
 * with the WAR deployed both as ROOT.war and as ssehub.war; then the page, the stream, replay and publishing are
 * checked at both context paths, and last the container is stopped and its logs read for leak warnings.
 *
 * <p>Tomcat checks every undeployed webapp for threads and ThreadLocals it left behind and says so in its log;
 * Jetty has no such check, so there the log is read only for warnings about ssehub (the embedded contract test
 * counts the threads left after an undeploy on both containers).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("releases")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionIT {

    private static final List<String> CONTEXT_PATHS = List.of("", "/ssehub");
    private static final String TOKEN = "distribution-it-token";
    // Set in the environment, as an administrator's export SSEHUB_... does; not the defaults, so that they show.
    private static final long RETRY = 2000;
    private static final long DRAIN_TIME = 10_000;
    private static final int STREAMS_AT_STOP = 10;
    // The "status" of a readiness probe whose connection the server closed without an answer.
    private static final int CLOSED = -1;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    // What Tomcat says when a webapp leaves a thread or a ThreadLocal behind at undeploy.
    private static final Pattern LEAK =
            Pattern.compile("(?i)appears to have started a thread|memory leak|failed to stop");
    private static final Pattern READY = Pattern.compile("\\{\"status\":\"ready\",\"streams\":\\d+}\n");
    private static final Pattern PROBLEM = Pattern.compile("\\b(WARN|WARNING|SEVERE|ERROR)\\b");

    @Parameter
    Release release;

    // Started once per release, before its tests; one container serves them all.
    private static ContainerDistribution container;

    static List<Release> releases() {
        return List.of(
                new Release("tomcat", System.getProperty("ssehub.tomcat10.version", "10.1.49")),
                new Release("tomcat", System.getProperty("ssehub.tomcat11.version", "11.0.14")),
                new Release("jetty", System.getProperty("ssehub.jetty.version", "12.1.8")));
    }

    @BeforeParameterizedClassInvocation
    static void deploy(Release release) throws Exception {
        Path war = Path.of(System.getProperty("ssehub.war", "target/ssehub.war"));
        assertTrue(Files.isRegularFile(war), "the packaged WAR " + war + " (run by mvn verify, after package)");
        container = ContainerDistribution.start(release, war, CONTEXT_PATHS, Map.of("ssehub.publishToken", TOKEN),
                Map.of("SSEHUB_RETRY", Long.toString(RETRY), "SSEHUB_DRAIN_TIME", Long.toString(DRAIN_TIME)));
    }

    @AfterParameterizedClassInvocation
    static void kill() {
        if (container != null) {
            container.close();
            container = null;
        }
    }

    @Order(1)
    @ParameterizedTest(name = "at \"{0}/\"")
    @ValueSource(strings = {"", "/ssehub"})
    void thePageAndItsScriptAndStyleLoad(String contextPath) throws Exception {
        URI root = container.baseUri(contextPath);
        Http.Reply page = Http.get(root);

        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.body().contains("id=\"clock\""), "the ssehub page, not a directory listing");
        // The page refers to them relatively, so they must resolve under any context path.
        assertContentType("text/javascript", Http.get(root.resolve("js/app.js")));
        assertContentType("text/css", Http.get(root.resolve("css/app.css")));
    }

    @Order(2)
    @ParameterizedTest(name = "at \"{0}/\"")
    @ValueSource(strings = {"", "/ssehub"})
    void aPublishedEventReachesTheSubscribersOfItsTopic(String contextPath) throws Exception {
        URI root = container.baseUri(contextPath);
        try (SseConnection news = SseConnection.open(root.resolve("stream?topic=it-news"))) {
            assertEquals(200, news.status());
            String id = PublishClient.publish(root, TOKEN, "it-news", "headline", "deployed in " + release);

            assertEquals(new SseEvent(id, "headline", "deployed in " + release, null, null),
                    news.events().awaitEvent(TIMEOUT));
            assertEquals(401, PublishClient.post(root, "wrong-token", "it-news", null, "refused").status());
        }
    }

    @Order(3)
    @ParameterizedTest(name = "at \"{0}/\"")
    @ValueSource(strings = {"", "/ssehub"})
    void theStreamTicksAndAReconnectReplaysWhatItMissed(String contextPath) throws Exception {
        URI stream = container.baseUri(contextPath).resolve("stream");
        try (SseConnection first = SseConnection.open(stream)) {
            assertEquals(200, first.status());
            assertTrue(first.header("Content-Type").startsWith("text/event-stream"), first.header("Content-Type"));
            assertEquals("no", first.header("X-Accel-Buffering"));
            List<SseEvent> ticks = first.events().awaitEvents(3, Duration.ofSeconds(6));
            EventId start = EventId.parse(ticks.get(0).id());
            for (int i = 0; i < ticks.size(); i++) {
                assertTrue(TIME.matcher(ticks.get(i).data()).matches(), ticks.get(i).data());
                assertEquals(new EventId(start.epoch(), start.sequence() + i), EventId.parse(ticks.get(i).id()));
            }

            try (SseConnection reconnect = SseConnection.open(stream, Map.of("Last-Event-ID", start.toString()))) {
                assertEquals(ticks.subList(1, 3), reconnect.events().awaitEvents(2, TIMEOUT), "the replay");
                assertEquals(first.events().awaitEvent(TIMEOUT), reconnect.events().awaitEvent(TIMEOUT),
                        "then the live stream, the same as on the first connection");
            }
        }
    }

    @Order(4)
    @ParameterizedTest(name = "at \"{0}/\"")
    @ValueSource(strings = {"", "/ssehub"})
    void healthSaysLiveAndReady(String contextPath) throws Exception {
        URI root = container.baseUri(contextPath);
        Http.Reply live = Http.get(root.resolve("health/live"));
        Http.Reply ready = Http.get(root.resolve("health/ready"));

        assertEquals(200, live.status());
        assertEquals("{\"status\":\"live\"}\n", live.body());
        assertEquals(200, ready.status());
        // Streams of the earlier tests may still count: the server finds a client gone at its next write.
        assertTrue(READY.matcher(ready.body()).matches(), ready.body());
        assertEquals("application/json;charset=utf-8", ready.header("Content-Type").toLowerCase().replace(" ", ""));
    }

    @Order(5)
    @Test
    void stoppingTheContainerEndsEveryStreamAndLogsNoLeakWarning() throws Exception {
        List<SseConnection> streams = new ArrayList<>();
        try (RawConnection probe = RawConnection.open(container.baseUri(""), TIMEOUT)) {
            for (String contextPath : CONTEXT_PATHS) {
                for (int i = 0; i < STREAMS_AT_STOP; i++) {
                    SseConnection stream = SseConnection.open(container.baseUri(contextPath).resolve("stream"));
                    streams.add(stream);
                    assertEquals(200, stream.status()); // subscribed: the headers go out after the subscription
                }
            }
            assertEquals(200, askReadiness(probe).status(), "ready, on the connection a load balancer keeps open");

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    container.stop();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            Readiness whileStopping = probeUntilNotReady(probe, streams);
            stopped.get(60, TimeUnit.SECONDS);

            List<Long> farewells = new ArrayList<>();
            for (SseConnection stream : streams) {
                stream.awaitEnd(TIMEOUT);
                List<Long> retries = stream.events().retries();
                assertEquals(RETRY, retries.get(0), "the opening hint, from SSEHUB_RETRY: " + retries);
                if (release.product().equals("tomcat")) {
                    // Tomcat pauses its connector and stops the webapps first: each stream gets ssehub's farewell.
                    assertEquals(2, retries.size(), "the opening hint and the farewell: " + retries);
                    farewells.add(retries.get(1));
                } else {
                    // Jetty closes its connector first, so there the connection just drops.
                    assertEquals(1, retries.size(), "the opening hint alone: " + retries);
                }
            }
            if (release.product().equals("tomcat")) {
                assertTrue(farewells.stream().allMatch(ms -> ms >= RETRY && ms <= RETRY + DRAIN_TIME),
                        "each within retry + drainTime: " + farewells);
                assertTrue(farewells.stream().distinct().count() > 1, "spread over the drain time: " + farewells);
                // Tomcat pauses its connector before it tells the webapp to stop: the probe's kept-alive connection
                // is closed without an answer while every stream is still open (they end after unloadDelay, 2 s).
                // ssehub's own {"status":"not ready","reason":"draining"} never reaches a client.
                assertEquals(new Readiness(CLOSED, false), whileStopping, "readiness while Tomcat stops");
            } else {
                // Jetty closes every connection, the probe's and the streams', before it stops the webapp.
                assertEquals(CLOSED, whileStopping.status(), "readiness while Jetty stops: " + whileStopping);
            }
        } finally {
            streams.forEach(SseConnection::close);
        }
        String logs = container.logs();
        List<String> findings = logs.lines()
                .filter(line -> LEAK.matcher(line).find()
                        || (PROBLEM.matcher(line).find() && line.toLowerCase().contains("ssehub"))
                        || line.contains("at dev.ssehub."))
                .toList();
        assertEquals(List.of(), findings,
                "leak warnings or problems about ssehub in the logs in " + container.directory());
    }

    /** The first answer to a readiness probe other than 200, and whether a stream had ended when it came. */
    private record Readiness(int status, boolean aStreamHadEnded) {
    }

    private static Readiness probeUntilNotReady(RawConnection probe, List<SseConnection> streams) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            int status;
            try {
                status = askReadiness(probe).status();
            } catch (IOException closed) {
                status = CLOSED;
            }
            boolean aStreamHadEnded = streams.stream().anyMatch(SseConnection::hasEnded);
            if (status != 200) {
                return new Readiness(status, aStreamHadEnded);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("still ready " + TIMEOUT + " after the container was told to stop");
    }

    private static Http.Reply askReadiness(RawConnection probe) throws IOException {
        probe.send("GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return probe.readReply(false);
    }

    private static void assertContentType(String expected, Http.Reply reply) {
        assertEquals(200, reply.status());
        String type = reply.header("Content-Type");
        assertTrue(type != null && type.startsWith(expected), "expected " + expected + ", got " + type);
    }
}
