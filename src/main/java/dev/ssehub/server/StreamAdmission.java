package dev.ssehub.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open streams against {@code ssehub.maxStreams}. When all places are taken, some may be held by clients that
 * left without a word: the open streams are probed and the request waits up to {@value #MAX_WAIT_MILLIS} ms for a
 * place they free. A stream still beyond the limit is turned away with a retry delay drawn at random between one and
 * two times {@code ssehub.overloadRetry}, so that the clients refused in one burst do not all come back in the next.
 */
final class StreamAdmission {

    static final long MAX_WAIT_MILLIS = 200;

    private final int maxStreams;
    private final long overloadRetryMillis;
    private final StreamProbe probe;
    private final AtomicInteger open = new AtomicInteger();

    StreamAdmission(int maxStreams, long overloadRetryMillis, StreamProbe probe) {
        this.maxStreams = maxStreams;
        this.overloadRetryMillis = overloadRetryMillis;
        this.probe = probe;
    }

    /**
     * Takes a place for a new stream, waiting briefly on a probe when all are taken; false when none came free. Holds
     * no lock while waiting. Every true is paired with one {@link #release}.
     */
    boolean tryAdmit() {
        if (take()) {
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
        StreamProbe.Waves waves = probe.start();
        return takeAfter(waves.first(), deadline) || takeAfter(waves.second(), deadline);
    }

    private boolean takeAfter(CompletableFuture<Void> wave, long deadline) {
        try {
            wave.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // out of time: one last look
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return take();
    }

    private boolean take() {
        while (true) {
            int current = open.get();
            if (current >= maxStreams) {
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release() {
        open.decrementAndGet();
    }

    int openStreams() {
        return open.get();
    }

    long jitteredRetryMillis() {
        return overloadRetryMillis + ThreadLocalRandom.current().nextLong(overloadRetryMillis + 1);
    }
}
