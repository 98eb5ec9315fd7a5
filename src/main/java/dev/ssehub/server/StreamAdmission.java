package dev.ssehub.server;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open streams against {@code ssehub.maxStreams}. A stream beyond the limit is turned away with a retry
 * delay drawn at random between one and two times {@code ssehub.overloadRetry}, so that the clients refused in one
 * burst do not all come back in the next one.
 */
final class StreamAdmission {

    private final int maxStreams;
    private final long overloadRetryMillis;
    private final AtomicInteger open = new AtomicInteger();

    StreamAdmission(int maxStreams, long overloadRetryMillis) {
        this.maxStreams = maxStreams;
        this.overloadRetryMillis = overloadRetryMillis;
    }

    /** Takes a place for a new stream; false when all are taken. Every true is paired with one {@link #release}. */
    boolean tryAdmit() {
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
