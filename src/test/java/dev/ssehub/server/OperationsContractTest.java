package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.testkit.Http;
import dev.ssehub.testkit.PublishClient;
import dev.ssehub.testkit.RecordingListener.Retry;
import dev.ssehub.testkit.SseConnection;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What operators see and do: /metrics, /health, the drain at stop and the rotation of old streams. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "tomcat"})
class OperationsContractTest extends ContainerTest {

    private static final String METRICS_TOKEN = "metrics-token";
    private static final String PUBLISH_TOKEN = "publish-token";

    @Test
    void metricsAndTheStatusDataAreOffUnlessATokenIsSetAndThenNeedIt() throws Exception {
        Map<String, String> offReasons = Map.of(
                "metrics", "metrics are off: set ssehub.metricsToken (or ssehub.metricsPublic=true) to serve them\n",
                "status/data",
                "the status page is off: set ssehub.metricsToken (or ssehub.metricsPublic=true) to serve it\n");
        start(Map.of("ssehub.tickInterval", "0"));
        for (Map.Entry<String, String> endpoint : offReasons.entrySet()) {
            Http.Reply off = Http.get(container.uri(endpoint.getKey()));
            assertEquals(404, off.status(), endpoint.getKey());
            assertEquals(endpoint.getValue(), off.body());
        }
        container.close();

        start(Map.of("ssehub.tickInterval", "0", "ssehub.metricsToken", METRICS_TOKEN));
        for (String path : offReasons.keySet()) {
            Http.Reply without = Http.get(container.uri(path));
            assertEquals(401, without.status(), path);
            assertEquals("send Authorization: Bearer <ssehub.metricsToken>\n", without.body());
            assertEquals("Bearer realm=\"ssehub metrics\"", without.header("WWW-Authenticate"));
            assertEquals(401, Http.send("GET", container.uri(path), Map.of("Authorization", "Bearer nope"),
                    null, null).status(), path);
            assertEquals(200, Http.send("GET", container.uri(path), Map.of("Authorization", "Bearer " + METRICS_TOKEN),
                    null, null).status(), path);
        }
        container.close();

        start(Map.of("ssehub.tickInterval", "0", "ssehub.metricsPublic", "true"));
        for (String path : offReasons.keySet()) {
            assertEquals(200, Http.get(container.uri(path)).status(), path);
        }
    }

    @Test
    void metricsCountStreamsEventsDeliveriesReplaysAndRefusals() throws Exception {
        // Frequent heartbeats, so that the server finds the stream the client closes: a write to it fails.
        start(Map.of("ssehub.tickInterval", "0", "ssehub.metricsToken", METRICS_TOKEN,
                "ssehub.publishToken", PUBLISH_TOKEN, "ssehub.heartbeatInterval", "200"));
        SseConnection first = open("stream?topic=news");
        SseConnection second = open("stream?topic=news&topic=other");
        awaitSubscribers(2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(PublishClient.publish(container.baseUri(), PUBLISH_TOKEN, "news", null, "n" + i));
        }
        assertEquals(401, PublishClient.post(container.baseUri(), "wrong", "news", null, "x").status());
        second.events().awaitEvents(3, TIMEOUT);
        first.close();
        awaitSubscribers(1); // found gone by the next write to it
        open("stream?topic=news", Map.of("Last-Event-ID", ids.get(0)));
        open("stream?topic=news", Map.of("Last-Event-ID", "not-an-id"));
        awaitSubscribers(3);

        Map<String, Double> metrics = parse(scrape(Map.of()).body());

        assertEquals(3.0, metrics.get("ssehub_events_published_total"));
        assertEquals(6.0, metrics.get("ssehub_deliveries_total"), "3 events x 2 subscribers");
        assertEquals(3.0, metrics.get("ssehub_streams"));
        assertEquals(4.0, metrics.get("ssehub_streams_opened_total"));
        assertEquals(1.0, metrics.get("ssehub_streams_closed_total{reason=\"client_gone\"}"));
        assertEquals(1.0, metrics.get("ssehub_replays_total{result=\"exact\"}"));
        assertEquals(1.0, metrics.get("ssehub_replays_total{result=\"malformed\"}"));
        assertEquals(1.0, metrics.get("ssehub_publish_refusals_total{status=\"401\"}"));
        assertEquals(3.0, metrics.get("ssehub_publish_duration_seconds_count"));
        assertEquals(1.0, metrics.get("ssehub_event_log_up"));
        assertTrue(metrics.keySet().stream().anyMatch(name -> name.startsWith("ssehub_build_info{version=")),
                "build info");
        assertTrue(metrics.containsKey("jvm_memory_used_bytes{area=\"heap\"}"), "JVM metrics");
        assertTrue(metrics.keySet().stream().noneMatch(name -> name.contains("topic=")), "no topic label");
    }

    @Test
    void openMetricsForAScraperThatAsksForIt() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.metricsPublic", "true"));
        Http.Reply classic = Http.get(container.uri("metrics"));
        assertEquals("text/plain;version=0.0.4;charset=utf-8", classic.header("Content-Type").replace(" ", ""));
        Http.Reply open = scrape(Map.of("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8"));
        assertTrue(open.header("Content-Type").startsWith("application/openmetrics-text"), open.header("Content-Type"));
        assertTrue(open.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
    }

    @Test
    void healthSaysLiveAndReady() throws Exception {
        start(Map.of("ssehub.tickInterval", "0"));
        open("stream");
        awaitSubscribers(1);

        Http.Reply live = Http.get(container.uri("health/live"));
        Http.Reply ready = Http.get(container.uri("health/ready"));

        assertEquals(200, live.status());
        assertEquals("{\"status\":\"live\"}\n", live.body());
        assertEquals(200, ready.status());
        assertEquals("{\"status\":\"ready\",\"streams\":1}\n", ready.body());
        assertEquals("application/json;charset=utf-8", ready.header("Content-Type").toLowerCase().replace(" ", ""));
        assertEquals(404, Http.get(container.uri("health/other")).status());
    }

    @Test
    void atStopEveryStreamIsToldToComeBackAfterItsOwnDelaySpreadOverTheDrainTime() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.retry", "3000", "ssehub.drainTime", "10000"));
        List<SseConnection> streams = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            streams.add(open("stream"));
        }
        awaitSubscribers(40);

        container.stopWebapp();

        List<Long> comeBackAfter = new ArrayList<>();
        for (SseConnection stream : streams) {
            stream.awaitEnd(TIMEOUT);
            List<Long> retries = stream.events().retries();
            assertEquals(2, retries.size(), "the opening hint and the farewell: " + retries);
            comeBackAfter.add(retries.get(1));
        }
        long earliest = comeBackAfter.stream().mapToLong(Long::longValue).min().orElseThrow();
        long latest = comeBackAfter.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(earliest >= 3000 && latest <= 13_000, "within retry + drainTime: " + comeBackAfter);
        assertTrue(latest - earliest > 5000, "spread over the drain time: " + comeBackAfter);
    }

    @Test
    void aStreamOlderThanMaxStreamAgeEndsWithAShortRetryAndResumesWithoutAGap() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.maxStreamAge", "1000", "ssehub.heartbeatInterval", "200",
                "ssehub.metricsPublic", "true"));
        SseConnection stream = open("stream?topic=t");
        awaitSubscribers(1);
        EventId before = hub().publish("t", null, "before");
        assertEquals(before.toString(), stream.events().awaitEvent(TIMEOUT).id());

        stream.awaitEnd(TIMEOUT);
        List<Object> ending = stream.events().drain();
        Retry shortRetry = (Retry) ending.get(ending.size() - 1);
        assertTrue(shortRetry.millis() >= 100 && shortRetry.millis() < 1000, "a short retry: " + shortRetry);
        EventId whileAway = hub().publish("t", null, "while away");
        SseConnection resumed = open("stream?topic=t", Map.of("Last-Event-ID", before.toString()));
        assertEquals(new SseEvent(whileAway.toString(), null, "while away", null, null),
                resumed.events().awaitEvent(TIMEOUT));
        Map<String, Double> metrics = parse(Http.get(container.uri("metrics")).body());
        assertEquals(1.0, metrics.get("ssehub_streams_closed_total{reason=\"rotated\"}"));
    }

    private Http.Reply scrape(Map<String, String> extraHeaders) throws IOException {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("Authorization", "Bearer " + METRICS_TOKEN);
        return Http.send("GET", container.uri("metrics"), headers, null, null);
    }

    /** The Prometheus text format as series (name with its labels) to value. */
    static Map<String, Double> parse(String exposition) {
        Map<String, Double> series = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return series;
    }
}
