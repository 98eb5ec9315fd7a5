package dev.ssehub.server;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds the streams whose clients left without a word, for a node that is full. Nothing is noticed until a write to
 * such a client fails, and after the peer closed, the first write only draws a reset; so a probe writes a heartbeat
 * comment to every open stream twice, {@value #GAP_MILLIS} ms apart, and the second write fails where the first
 * could not. One probe runs at a time, and probes start at most every {@value #SPACING_MILLIS} ms, so that a node
 * that is really full is not written to flat out by the clients it turns away.
 */
final class StreamProbe {

    static final long GAP_MILLIS = 50;
    static final long SPACING_MILLIS = 100;
    private static final Logger LOG = Logger.getLogger(StreamProbe.class.getName());

    private final Collection<StreamSubscriber> streams;
    private final WriterPool writers;
    private final ScheduledExecutorService scheduler;
    private final byte[] comment;
    // Guarded by this, held only to hand over the probe under way.
    private Waves current;
    private long nextStartNanos;

    /** The two waves of one probe; each completes once the writers have written its comments. */
    record Waves(CompletableFuture<Void> first, CompletableFuture<Void> second) {
    }

    StreamProbe(Collection<StreamSubscriber> streams, WriterPool writers, ScheduledExecutorService scheduler,
            byte[] comment) {
        this.streams = streams;
        this.writers = writers;
        this.scheduler = scheduler;
        this.comment = comment;
    }

    /** The probe under way, or a new one that starts as soon as the spacing allows. */
    synchronized Waves start() {
        if (current != null && !current.second().isDone()) {
            return current;
        }
        long now = System.nanoTime();
        long delay = Math.max(0, nextStartNanos - now);
        nextStartNanos = now + delay + TimeUnit.MILLISECONDS.toNanos(SPACING_MILLIS);
        Waves waves = new Waves(new CompletableFuture<>(), new CompletableFuture<>());
        current = waves;
        schedule(waves, () -> wave(waves.first()), delay);
        waves.first().thenRun(() -> schedule(waves, () -> wave(waves.second()),
                TimeUnit.MILLISECONDS.toNanos(GAP_MILLIS)));
        return waves;
    }

    // On the scheduler: offering only queues; the writer lanes write, and the dead streams close as their write fails.
    private void wave(CompletableFuture<Void> written) {
        try {
            for (StreamSubscriber stream : streams) {
                stream.probe(comment);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "probing the streams failed", e); // the waiting requests are turned away
        }
        writers.afterQueued().thenRun(() -> written.complete(null));
    }

    private void schedule(Waves waves, Runnable task, long delayNanos) {
        try {
            scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            waves.first().complete(null); // the webapp is stopping: nobody waits for a place any more
            waves.second().complete(null);
        }
    }
}
