package dev.ssehub.server;

import dev.ssehub.hub.Hub;
import dev.ssehub.hub.HubObserver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status page's data, as JSON. The numbers that {@code /metrics} serves are read from one snapshot of the same
 * registry, so the page and a scrape agree at any moment; added are what the metrics leave out on purpose: the
 * busiest topics by name, and the rates of the last minutes. Every close reason and replay result is listed, at 0
 * until it happens; publish refusals only by the statuses that happened.
 */
final class StatusReport {

    /** How many of the busiest topics the page lists. */
    static final int BUSIEST_TOPICS = 10;
    private static final JsonFactory JSON = new JsonFactory();

    private StatusReport() {
    }

    static void write(HubRuntime runtime, OutputStream out) throws IOException {
        Series metrics = Series.of(runtime.metrics().registry().scrape(name -> name.startsWith("ssehub_")));
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("version", Version.current());
            json.writeNumberField("uptimeSeconds", runtime.uptime().toSeconds());

            json.writeObjectFieldStart("eventLog");
            json.writeStringField("kind", runtime.settings().clustered() ? "redis" : "memory");
            json.writeBooleanField("up", metrics.value("ssehub_event_log_up") == 1);
            json.writeNumberField("epoch", metrics.whole("ssehub_event_log_epoch"));
            json.writeEndObject();

            json.writeObjectFieldStart("streams");
            json.writeNumberField("open", metrics.whole("ssehub_streams"));
            json.writeNumberField("max", runtime.settings().maxStreams());
            json.writeNumberField("opened", metrics.whole("ssehub_streams_opened"));
            json.writeObjectFieldStart("closed");
            for (CloseReason reason : CloseReason.values()) {
                json.writeNumberField(reason.label(), metrics.whole("ssehub_streams_closed", reason.label()));
            }
            json.writeEndObject();
            json.writeEndObject();

            json.writeObjectFieldStart("events");
            json.writeNumberField("published", metrics.whole("ssehub_events_published"));
            json.writeNumberField("fannedOut", metrics.whole("ssehub_events_fanned_out"));
            json.writeNumberField("deliveries", metrics.whole("ssehub_deliveries"));
            json.writeNumberField("deliveredBytes", metrics.whole("ssehub_delivered_bytes"));
            json.writeEndObject();

            writeRates(json, runtime.rates().points());

            json.writeObjectFieldStart("replays");
            for (HubObserver.Replay result : HubObserver.Replay.values()) {
                String label = result.name().toLowerCase(Locale.ROOT);
                json.writeNumberField(label, metrics.whole("ssehub_replays", label));
            }
            json.writeEndObject();

            json.writeObjectFieldStart("publishRefusals");
            Map<String, Double> refusals = new TreeMap<>(metrics.byLabel("ssehub_publish_refusals"));
            for (Map.Entry<String, Double> refusal : refusals.entrySet()) {
                json.writeNumberField(refusal.getKey(), Math.round(refusal.getValue()));
            }
            json.writeEndObject();

            json.writeObjectFieldStart("bytes");
            json.writeNumberField("replayRetained", metrics.whole("ssehub_replay_retained_bytes"));
            json.writeNumberField("queued", metrics.whole("ssehub_queued_bytes"));
            json.writeEndObject();

            json.writeObjectFieldStart("topics");
            json.writeNumberField("subscribed", metrics.whole("ssehub_topics", "subscribed"));
            json.writeNumberField("retained", metrics.whole("ssehub_topics", "retained"));
            json.writeArrayFieldStart("busiest");
            for (Hub.TopicSubscribers topic : runtime.hub().busiestTopics(BUSIEST_TOPICS)) {
                json.writeStartObject();
                json.writeStringField("topic", topic.topic());
                json.writeNumberField("subscribers", topic.subscribers());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();

            json.writeEndObject();
        }
    }

    private static void writeRates(JsonGenerator json, List<RateHistory.Point> points) throws IOException {
        json.writeObjectFieldStart("rates");
        json.writeNumberField("intervalSeconds", HubRuntime.RATE_INTERVAL_MILLIS / 1000);
        json.writeArrayFieldStart("published");
        for (RateHistory.Point point : points) {
            json.writeNumber(rounded(point.published()));
        }
        json.writeEndArray();
        json.writeArrayFieldStart("deliveries");
        for (RateHistory.Point point : points) {
            json.writeNumber(rounded(point.deliveries()));
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    // Two decimals are plenty for a chart, and keep the answer short.
    private static double rounded(double perSecond) {
        return Math.round(perSecond * 100) / 100.0;
    }

    /** The counters and gauges of one snapshot: metric name (no {@code _total}) to its one label's value to value. */
    private record Series(Map<String, Map<String, Double>> values) {

        static Series of(MetricSnapshots snapshots) {
            Map<String, Map<String, Double>> values = new HashMap<>();
            for (MetricSnapshot snapshot : snapshots) {
                Map<String, Double> byLabel = new HashMap<>();
                for (DataPointSnapshot point : snapshot.getDataPoints()) {
                    String label = point.getLabels().isEmpty() ? "" : point.getLabels().getValue(0);
                    if (point instanceof CounterDataPointSnapshot counter) {
                        byLabel.put(label, counter.getValue());
                    } else if (point instanceof GaugeDataPointSnapshot gauge) {
                        byLabel.put(label, gauge.getValue());
                    }
                }
                values.put(snapshot.getMetadata().getPrometheusName(), byLabel);
            }
            return new Series(values);
        }

        double value(String name) {
            return byLabel(name).getOrDefault("", 0.0);
        }

        long whole(String name) {
            return Math.round(value(name));
        }

        long whole(String name, String label) {
            return Math.round(byLabel(name).getOrDefault(label, 0.0));
        }

        Map<String, Double> byLabel(String name) {
            return values.getOrDefault(name, Map.of());
        }
    }
}
