package dev.ssehub.server;

import dev.ssehub.testkit.Http;
import dev.ssehub.testkit.Prometheus;
import dev.ssehub.testkit.Prometheus.ScrapeJob;
import dev.ssehub.testkit.PublishClient;
import dev.ssehub.testkit.SseConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's prometheus scraping ssehub as the README's scrape configuration says, with the metrics token: after
 * streams opened and ended and events were published, Prometheus's own API answers the exact counts. And
 * {@code promtool check metrics} finds nothing to say about the exposition. The exposition does not depend on the
 * container ({@link OperationsContractTest} reads it on both), so this runs on Jetty alone.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = "jetty")
class PrometheusScrapeIT extends ContainerTest {

    private static final String METRICS_TOKEN = "prometheus-it-metrics";
    private static final String PUBLISH_TOKEN = "prometheus-it-publish";
    private static final Path DIRECTORY = Path.of("target/prometheus-it").toAbsolutePath();
    private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);

    private Prometheus prometheus;

    @AfterEach
    void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void prometheusScrapesTheExactCountsOfStreamsEventsAndDeliveries() throws Exception {
        // Frequent heartbeats, so that the server finds the stream the client closes: a write to it fails.
        start(Map.of("ssehub.tickInterval", "0", "ssehub.metricsToken", METRICS_TOKEN,
                "ssehub.publishToken", PUBLISH_TOKEN, "ssehub.heartbeatInterval", "200"));
        prometheus = Prometheus.start(DIRECTORY.resolve("server"), SCRAPE_INTERVAL, List.of(
                new ScrapeJob("ssehub", container.uri("metrics"), METRICS_TOKEN),
                new ScrapeJob("ssehub-wrong-token", container.uri("metrics"), "not-the-token")));
        List<SseConnection> news = List.of(open("stream?topic=news"), open("stream?topic=news"),
                open("stream?topic=news"));
        SseConnection other = open("stream?topic=other");
        awaitSubscribers(4);
        for (int i = 0; i < 5; i++) {
            PublishClient.publish(container.baseUri(), PUBLISH_TOKEN, "news", null, "news " + i);
        }
        for (int i = 0; i < 2; i++) {
            PublishClient.publish(container.baseUri(), PUBLISH_TOKEN, "other", null, "other " + i);
        }
        for (SseConnection stream : news) {
            stream.events().awaitEvents(5, TIMEOUT);
        }
        other.events().awaitEvents(2, TIMEOUT);
        news.get(0).close();
        awaitSubscribers(3); // found gone by the next heartbeat to it

        Instant settled = Instant.now();
        prometheus.awaitScrapeAfter("ssehub", settled, TIMEOUT);
        prometheus.awaitScrapeAfter("ssehub-wrong-token", settled, TIMEOUT); // its own schedule: it may come later

        assertEquals(1.0, prometheus.queryValue("up{job=\"ssehub\"}"), "the scrape with the token succeeds");
        assertEquals(0.0, prometheus.queryValue("up{job=\"ssehub-wrong-token\"}"), "and with another token fails");
        assertEquals(3.0, prometheus.queryValue("ssehub_streams{job=\"ssehub\"}"));
        assertEquals(4.0, prometheus.queryValue("ssehub_streams_opened_total{job=\"ssehub\"}"));
        assertEquals(7.0, prometheus.queryValue("ssehub_events_published_total{job=\"ssehub\"}"), "5 + 2 events");
        assertEquals(17.0, prometheus.queryValue("ssehub_deliveries_total{job=\"ssehub\"}"),
                "5 events x 3 subscribers + 2 events x 1");
        assertEquals(Map.of(Map.of("reason", "client_gone"), 1.0),
                closedByReason(prometheus.query("ssehub_streams_closed_total{job=\"ssehub\"}")));
        assertEquals(Map.of(), prometheus.query("ssehub_streams_opened_total{job=\"ssehub-wrong-token\"}"),
                "nothing from the scrape without the token");
    }

    @Test
    void promtoolFindsNoProblemInTheExposition() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.metricsToken", METRICS_TOKEN,
                "ssehub.publishToken", PUBLISH_TOKEN, "ssehub.heartbeatInterval", "200"));
        // A sample in every family, the labelled ones included: a stream that ends, a refusal, a replay.
        SseConnection leaving = open("stream?topic=lint");
        SseConnection staying = open("stream?topic=lint", Map.of("Last-Event-ID", "not-an-id"));
        awaitSubscribers(2);
        PublishClient.publish(container.baseUri(), PUBLISH_TOKEN, "lint", null, "every series has a sample");
        assertEquals(401, PublishClient.post(container.baseUri(), "wrong", "lint", null, "refused").status());
        staying.events().awaitEvent(TIMEOUT);
        leaving.close();
        awaitSubscribers(1);
        // The classic text format, the one promtool reads (Prometheus itself asks for OpenMetrics).
        Http.Reply scrape = Http.send("GET", container.uri("metrics"),
                Map.of("Authorization", "Bearer " + METRICS_TOKEN), null, null);
        assertEquals(200, scrape.status());
        for (String family : List.of("ssehub_streams_closed_total", "ssehub_replays_total",
                "ssehub_publish_refusals_total", "ssehub_publish_duration_seconds", "ssehub_build_info")) {
            assertTrue(scrape.body().contains("\n# TYPE " + family + " "), family + " in the scrape");
        }

        assertEquals(List.of(), Prometheus.lintMetrics(scrape.body(), DIRECTORY.resolve("promtool")));
    }

    // Only the reason label of each series: job and instance are Prometheus's.
    private static Map<Map<String, String>, Double> closedByReason(Map<Map<String, String>, Double> series) {
        return series.entrySet().stream().collect(Collectors.toMap(
                entry -> Map.of("reason", entry.getKey().get("reason")), Map.Entry::getValue));
    }
}
