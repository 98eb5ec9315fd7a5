package dev.ssehub.server;

import dev.ssehub.hub.Hub;
import dev.ssehub.wire.SseEncoder;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the webapp runs between start and stop: the settings, the hub, the writer threads, the scheduler of the
 * ticker, heartbeat and probes, and the open streams. Created by {@link HubLifecycle}, found by the servlets in a
 * context attribute.
 */
final class HubRuntime {

    static final String ATTRIBUTE = HubRuntime.class.getName();
    private static final Logger LOG = Logger.getLogger(HubRuntime.class.getName());
    private static final byte[] HEARTBEAT = SseEncoder.comment("");
    static final long RATE_INTERVAL_MILLIS = 2000;

    private final Settings settings;
    private final Metrics metrics;
    private final BooleanSupplier logReachable;
    private final Hub hub;
    private final WriterPool writers;
    private final ScheduledExecutorService scheduler;
    // The ticker's own thread: with a shared log, a tick may wait for Redis, and heartbeats must not.
    private final ScheduledExecutorService tickerThread;
    private final Ticker ticker;
    private final CorsPolicy cors;
    private final StreamAdmission admission;
    private final Replayer replayer;
    private final TopicAccess access;
    // Written by the ticker's thread at each tick: whether this node ticks for the whole cluster.
    private volatile boolean tickerLeaseHeld;
    // Every open stream, whatever it subscribed to, for the probe; a stream leaves it when it closes.
    private final Set<StreamSubscriber> streams = ConcurrentHashMap.newKeySet();
    // Set once when the webapp begins to stop: readiness turns 503 before any stream ends.
    private volatile boolean draining;
    // Sampled by the scheduler every RATE_INTERVAL_MILLIS for the status page: five minutes of rates.
    private final RateHistory rates = new RateHistory(150);
    private final long startNanos = System.nanoTime();

    private HubRuntime(Settings settings) {
        this.settings = settings;
        EventLogs logs = EventLogs.forSettings(settings);
        this.metrics = new Metrics(Version.current());
        this.logReachable = logs.reachable();
        this.hub = new Hub(settings.replayLimits(), logs.log(), metrics).start();
        this.writers = new WriterPool(settings.writerThreads(), "ssehub-writer");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(namedDaemons("ssehub-scheduler"));
        this.tickerThread = Executors.newSingleThreadScheduledExecutor(namedDaemons("ssehub-ticker"));
        this.ticker = new Ticker(time -> {
            tickerLeaseHeld = logs.tickerLease().getAsBoolean();
            if (tickerLeaseHeld) {
                hub.publish(Ticker.TOPIC, null, time);
            }
        });
        this.cors = new CorsPolicy(settings.allowedOrigins());
        // As many replay threads as cores: a storm of reconnects uses them, never the container's threads.
        this.replayer = new Replayer(Runtime.getRuntime().availableProcessors(), 1000);
        this.access = new TopicAccess(settings);
        this.admission = new StreamAdmission(settings.maxStreams(), settings.overloadRetryMillis(),
                new StreamProbe(streams, writers, scheduler, HEARTBEAT));
        metrics.watch(hub, admission::openStreams, streams, logReachable);
    }

    static HubRuntime start(Settings settings) {
        HubRuntime runtime = new HubRuntime(settings);
        LOG.info(settings.summary());
        runtime.ticker.schedule(runtime.tickerThread, settings.tickIntervalMillis());
        // A stream gets a heartbeat when a whole round passed without a byte to it: rounds at half the interval keep
        // every silence within the interval, and a stream that is sent events costs no heartbeat at all.
        long round = Math.max(1, settings.heartbeatIntervalMillis() / 2);
        runtime.scheduler.scheduleAtFixedRate(runtime::heartbeat, round, round, TimeUnit.MILLISECONDS);
        if (settings.tokens().enabled()) {
            // A stream must end within a second of its token's expiry, not at the next (15 s) heartbeat round.
            runtime.scheduler.scheduleAtFixedRate(runtime::endStreamsPastDeadline, 1000, 1000, TimeUnit.MILLISECONDS);
        }
        long sweep = Math.min(60_000, settings.topicExpiryMillis() / 4);
        runtime.scheduler.scheduleAtFixedRate(runtime::expireIdleTopics, sweep, sweep, TimeUnit.MILLISECONDS);
        runtime.sampleRates();
        runtime.scheduler.scheduleAtFixedRate(runtime::sampleRates, RATE_INTERVAL_MILLIS, RATE_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        return runtime;
    }

    static HubRuntime of(ServletContext context) {
        Object runtime = context.getAttribute(ATTRIBUTE);
        if (!(runtime instanceof HubRuntime hubRuntime)) {
            throw new IllegalStateException("ssehub is not started: is HubLifecycle registered in web.xml?");
        }
        return hubRuntime;
    }

    Settings settings() {
        return settings;
    }

    Hub hub() {
        return hub;
    }

    CorsPolicy cors() {
        return cors;
    }

    StreamAdmission admission() {
        return admission;
    }

    TopicAccess access() {
        return access;
    }

    /** A new stream, bound to a writer lane; it gives its place back when it closes. */
    StreamSubscriber openStream(AsyncContext async, ServletOutputStream out) {
        StreamSubscriber subscriber = new StreamSubscriber(async, out, settings.maxQueueBytes(), writers.nextLane(),
                this::drainFarewell, this::streamClosed, metrics::wrote);
        if (settings.maxStreamAgeMillis() > 0) {
            // ±10%, so that the streams opened in one burst do not all end in the next one.
            double jitter = 0.9 + 0.2 * ThreadLocalRandom.current().nextDouble();
            subscriber.rotateAfter((long) (settings.maxStreamAgeMillis() * jitter * 1_000_000));
        }
        streams.add(subscriber);
        metrics.opened();
        return subscriber;
    }

    Replayer replayer() {
        return replayer;
    }

    Metrics metrics() {
        return metrics;
    }

    /** Events published and deliveries per second, one point every {@link #RATE_INTERVAL_MILLIS}. */
    RateHistory rates() {
        return rates;
    }

    /** How long ago the webapp started. */
    Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Whether this node should get new clients: not while it stops, nor while its shared log is out of reach. */
    String readiness() {
        if (draining) {
            return "draining";
        }
        return logReachable.getAsBoolean() ? null : "event log unreachable";
    }

    // A stream ended, whatever the reason: it leaves the hub and gives its place back.
    private void streamClosed(StreamSubscriber subscriber) {
        metrics.closed(draining ? CloseReason.SHUTDOWN : subscriber.closeReason());
        streams.remove(subscriber);
        hub.unsubscribe(subscriber);
        admission.release();
    }

    /** Whether this node's ticker published the last tick (always, on a single node with the ticker on). */
    boolean holdsTickerLease() {
        return tickerLeaseHeld;
    }

    String tickerTopic() {
        return Ticker.TOPIC;
    }

    /**
     * Stops the ticker, ends every stream with a retry hint and waits briefly for the writers to send it; then ends
     * what is left and stops every thread. Never throws.
     */
    void stop() {
        draining = true;
        scheduler.shutdownNow();
        tickerThread.shutdownNow();
        hub.shutdown(this::drainFarewell);
        try {
            replayer.shutdown(1000); // replays still queued find the hub shut down: their streams get the farewell
            if (!writers.shutdown(2, TimeUnit.SECONDS)) {
                LOG.warning("ssehub writers still busy after 2 s; ending the remaining streams at once");
            }
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
            tickerThread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hub.abortAll();
            hub.stopLog();
        }
    }

    // Each stream is told to come back after its own delay, spread over drainTime, so that the clients of a node
    // that stops do not all reconnect (to the next node) in the same second.
    private byte[] drainFarewell() {
        long spread = settings.drainTimeMillis() == 0 ? 0
                : ThreadLocalRandom.current().nextLong(settings.drainTimeMillis() + 1);
        return SseEncoder.retry(settings.retryMillis() + spread);
    }

    private void heartbeat() {
        try {
            if (!settings.tokens().enabled()) {
                endStreamsPastDeadline();
            }
            hub.keepAlive(HEARTBEAT);
        } catch (RuntimeException | Error e) { // even an OutOfMemoryError: the next round may well succeed
            LOG.log(Level.WARNING, "heartbeat failed", e); // a thrown task would silently cancel the schedule
        }
    }

    // Streams past maxStreamAge or their token's expiry end with a short retry and resume elsewhere, or here, with
    // Last-Event-ID (and a fresh token).
    private void endStreamsPastDeadline() {
        if (settings.maxStreamAgeMillis() == 0 && !settings.tokens().enabled()) {
            return;
        }
        try {
            long now = System.nanoTime();
            for (StreamSubscriber stream : streams) {
                CloseReason due = stream.dueToEnd(now);
                if (due != null) {
                    stream.end(due, SseEncoder.retry(100 + ThreadLocalRandom.current().nextLong(900)));
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "ending streams past their deadline failed", e); // keeps the schedule alive
        }
    }

    private void sampleRates() {
        rates.sample(System.nanoTime(), metrics.publishedTotal(), metrics.deliveriesTotal());
    }

    private void expireIdleTopics() {
        try {
            hub.expireIdleTopics();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "expiring idle topics failed", e); // a thrown task would cancel the schedule
        }
    }

    private static ThreadFactory namedDaemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
