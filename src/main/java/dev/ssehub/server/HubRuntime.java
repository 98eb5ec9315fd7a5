package dev.ssehub.server;

import dev.ssehub.hub.Hub;
import dev.ssehub.wire.SseEncoder;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    private final Settings settings;
    private final Hub hub;
    private final WriterPool writers;
    private final ScheduledExecutorService scheduler;
    // The ticker's own thread: with a shared log, a tick may wait for Redis, and heartbeats must not.
    private final ScheduledExecutorService tickerThread;
    private final Ticker ticker;
    private final CorsPolicy cors;
    private final StreamAdmission admission;
    // Written by the ticker's thread at each tick: whether this node ticks for the whole cluster.
    private volatile boolean tickerLeaseHeld;
    private final byte[] farewell;
    // Every open stream, whatever it subscribed to, for the probe; a stream leaves it when it closes.
    private final Set<StreamSubscriber> streams = ConcurrentHashMap.newKeySet();

    private HubRuntime(Settings settings) {
        this.settings = settings;
        EventLogs logs = EventLogs.forSettings(settings);
        this.hub = new Hub(settings.replayLimits(), logs.log()).start();
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
        this.admission = new StreamAdmission(settings.maxStreams(), settings.overloadRetryMillis(),
                new StreamProbe(streams, writers, scheduler, HEARTBEAT));
        this.farewell = SseEncoder.retry(settings.retryMillis());
    }

    static HubRuntime start(Settings settings) {
        HubRuntime runtime = new HubRuntime(settings);
        runtime.ticker.schedule(runtime.tickerThread, settings.tickIntervalMillis());
        // A stream gets a heartbeat when a whole round passed without a byte to it: rounds at half the interval keep
        // every silence within the interval, and a stream that is sent events costs no heartbeat at all.
        long round = Math.max(1, settings.heartbeatIntervalMillis() / 2);
        runtime.scheduler.scheduleAtFixedRate(runtime::heartbeat, round, round, TimeUnit.MILLISECONDS);
        long sweep = Math.min(60_000, settings.topicExpiryMillis() / 4);
        runtime.scheduler.scheduleAtFixedRate(runtime::expireIdleTopics, sweep, sweep, TimeUnit.MILLISECONDS);
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

    /** A new stream, bound to a writer lane; it gives its place back when it closes. */
    StreamSubscriber openStream(AsyncContext async, ServletOutputStream out) {
        StreamSubscriber subscriber = new StreamSubscriber(async, out, settings.maxQueueBytes(), writers.nextLane(),
                farewell, this::streamClosed);
        streams.add(subscriber);
        return subscriber;
    }

    // A stream ended, whatever the reason: it leaves the hub and gives its place back.
    private void streamClosed(StreamSubscriber subscriber) {
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
        scheduler.shutdownNow();
        tickerThread.shutdownNow();
        hub.shutdown(farewell);
        try {
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

    private void heartbeat() {
        try {
            hub.keepAlive(HEARTBEAT);
        } catch (RuntimeException | Error e) { // even an OutOfMemoryError: the next round may well succeed
            LOG.log(Level.WARNING, "heartbeat failed", e); // a thrown task would silently cancel the schedule
        }
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
