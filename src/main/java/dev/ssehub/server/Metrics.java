package dev.ssehub.server;

import dev.ssehub.hub.Hub;
import dev.ssehub.hub.HubObserver;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.Collection;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * ssehub's metrics in the Prometheus model, in a registry of its own, so that a redeployed webapp leaves nothing
 * registered behind. No metric has a topic label: topics are unbounded, a scrape must not be. Counting an event costs
 * a few adder increments, whatever the number of its subscribers.
 */
final class Metrics implements HubObserver {

    // The delay from an event's fan-out to its first write is sampled on one event a second: cheap at any rate.
    private static final long SAMPLE_EVERY_NANOS = 1_000_000_000L;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    // Every counter and histogram is built withoutExemplars(): the exemplar sampler starts the client library's static
    // scheduler thread, which no undeploy can stop (Tomcat reports it as a leak). ssehub has no traces to link anyway.
    private final Counter published = Counter.builder().name("ssehub_events_published_total")
            .help("Events published through this node (POST /publish and the ticker)")
            .withoutExemplars().register(registry);
    private final Counter fannedOut = Counter.builder().name("ssehub_events_fanned_out_total")
            .help("Events this node offered to its subscribers (on several nodes: those of every node)")
            .withoutExemplars().register(registry);
    private final Counter deliveries = Counter.builder().name("ssehub_deliveries_total")
            .help("Events queued for writing to a subscriber, one per event and subscriber")
            .withoutExemplars().register(registry);
    private final Counter deliveredBytes = Counter.builder().name("ssehub_delivered_bytes_total")
            .help("Bytes of events queued for writing to subscribers").unit(Unit.BYTES)
            .withoutExemplars().register(registry);
    private final Counter opened = Counter.builder().name("ssehub_streams_opened_total")
            .help("Streams that started").withoutExemplars().register(registry);
    private final Counter closed = Counter.builder().name("ssehub_streams_closed_total")
            .help("Streams that ended, by reason; overload counts the requests turned away before they started")
            .labelNames("reason").withoutExemplars().register(registry);
    private final Counter replays = Counter.builder().name("ssehub_replays_total")
            .help("Reconnects with Last-Event-ID: exact, paged (more than one page), too_old, unknown, malformed")
            .labelNames("result").withoutExemplars().register(registry);
    private final Counter refusals = Counter.builder().name("ssehub_publish_refusals_total")
            .help("POST /publish answered with an error, by status").labelNames("status")
            .withoutExemplars().register(registry);
    private final Histogram publishDuration = Histogram.builder().name("ssehub_publish_duration_seconds")
            .help("From a POST /publish body's last byte to its answer (on several nodes: Redis holds the event)")
            .unit(Unit.SECONDS).classicOnly()
            .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .withoutExemplars().register(registry);
    private final Histogram publishToWrite = Histogram.builder().name("ssehub_publish_to_write_seconds")
            .help("From an event's fan-out to its write to each subscriber, sampled on one event a second")
            .unit(Unit.SECONDS).classicOnly()
            .classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .withoutExemplars().register(registry);

    // Written by the fan-out (one thread at a time), read by writers: the frame being timed and when it went out.
    private volatile Sample sample = new Sample(null, 0);

    Metrics(String version) {
        Info.builder().name("ssehub_build_info").help("The ssehub build that runs").labelNames("version")
                .register(registry).addLabelValues(version);
        // Not the allocation metrics: they add listeners to the JVM's beans, which would outlive an undeployed webapp.
        JvmMemoryMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmThreadsMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    /** The gauges read at each scrape from what they describe. */
    void watch(Hub hub, IntSupplier streams, Collection<StreamSubscriber> open, BooleanSupplier logReachable) {
        GaugeWithCallback.builder().name("ssehub_streams").help("Open streams")
                .callback(gauge -> gauge.call(streams.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("ssehub_queued_bytes").unit(Unit.BYTES)
                .help("Bytes waiting in the queues of subscribers that read slower than events arrive")
                .callback(gauge -> gauge.call(open.stream().mapToLong(StreamSubscriber::queuedBytes).sum()))
                .register(registry);
        GaugeWithCallback.builder().name("ssehub_replay_retained_bytes").unit(Unit.BYTES)
                .help("Bytes the replay logs hold, counting a small overhead per event")
                .callback(gauge -> gauge.call(hub.retainedBytes())).register(registry);
        GaugeWithCallback.builder().name("ssehub_topics").help("Topics with subscribers, and with events kept")
                .labelNames("kind").callback(gauge -> {
                    gauge.call(hub.subscribedTopicCount(), "subscribed");
                    gauge.call(hub.retainedTopicCount(), "retained");
                }).register(registry);
        GaugeWithCallback.builder().name("ssehub_event_log_up")
                .help("1 when the event log answers (always, on a single node; Redis, on several)")
                .callback(gauge -> gauge.call(logReachable.getAsBoolean() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("ssehub_event_log_epoch")
                .help("The epoch of the event ids, in ms; it changes when the shared log lost its data")
                .callback(gauge -> gauge.call(hub.epoch())).register(registry);
    }

    PrometheusRegistry registry() {
        return registry;
    }

    /** {@code ssehub_events_published_total} now. */
    double publishedTotal() {
        return published.get();
    }

    /** {@code ssehub_deliveries_total} now. */
    double deliveriesTotal() {
        return deliveries.get();
    }

    @Override
    public void published() {
        published.inc();
    }

    void opened() {
        opened.inc();
    }

    void closed(CloseReason reason) {
        closed.labelValues(reason.label()).inc();
    }

    void refused(int status) {
        refusals.labelValues(Integer.toString(status)).inc();
    }

    void publishTook(long nanos) {
        publishDuration.observe(nanos / 1e9);
    }

    /** A writer wrote a block that began with {@code firstFrame}. */
    void wrote(byte[] firstFrame) {
        Sample timed = sample;
        if (firstFrame == timed.frame()) {
            publishToWrite.observe((System.nanoTime() - timed.atNanos()) / 1e9);
        }
    }

    @Override
    public void fannedOut(byte[] frame, int subscribers) {
        fannedOut.inc();
        if (subscribers > 0) {
            deliveries.inc(subscribers);
            deliveredBytes.inc((long) subscribers * frame.length);
            long now = System.nanoTime();
            if (now - sample.atNanos() >= SAMPLE_EVERY_NANOS) {
                sample = new Sample(frame, now);
            }
        }
    }

    @Override
    public void replayed(Replay result) {
        replays.labelValues(result.name().toLowerCase(Locale.ROOT)).inc();
    }

    private record Sample(byte[] frame, long atNanos) {
    }
}
