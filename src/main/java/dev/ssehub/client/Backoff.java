package dev.ssehub.client;

import java.util.random.RandomGenerator;

/**
 * How long to wait before the next connection attempt. An immutable value: each step returns a new one.
 *
 * <p>The first attempt after a connection that was open waits exactly the reconnection time (the server's
 * {@code retry:}, 3 s until it sends one), as the WHATWG spec says. Each further failure in a row doubles a ceiling,
 * up to {@code maxMillis}, and waits a random time between half the ceiling and the ceiling, so that clients
 * dropped together do not come back together. It never waits less than the reconnection time: a client must not
 * come back sooner than the server asked.
 *
 * @param reconnectMillis the reconnection time, from {@code retry:}
 * @param maxMillis       the cap of the backoff growth (a larger reconnection time still wins)
 * @param failures        attempts that failed in a row since the last open connection
 */
record Backoff(long reconnectMillis, long maxMillis, int failures) {

    /** The spec leaves the default reconnection time to the user agent; browsers use about 3 s. */
    static final long DEFAULT_RECONNECT_MILLIS = 3000;
    static final long DEFAULT_MAX_MILLIS = 30_000;
    // Where growth starts when the reconnection time is tiny, so that "retry: 0" cannot turn into a busy loop.
    static final long GROWTH_FLOOR_MILLIS = 250;

    Backoff {
        if (reconnectMillis < 0 || maxMillis < 0 || failures < 0) {
            throw new IllegalArgumentException("backoff values must not be negative");
        }
    }

    static Backoff initial(long reconnectMillis, long maxMillis) {
        return new Backoff(reconnectMillis, maxMillis, 0);
    }

    /** The server sent {@code retry: millis}. */
    Backoff withReconnectTime(long millis) {
        return new Backoff(millis, maxMillis, failures);
    }

    /** A connection opened: the next wait is the plain reconnection time again. */
    Backoff afterOpen() {
        return new Backoff(reconnectMillis, maxMillis, 0);
    }

    /** A wait was taken and the attempt after it is under way; if that attempt fails too, the next wait grows. */
    Backoff next() {
        return new Backoff(reconnectMillis, maxMillis, failures == Integer.MAX_VALUE ? failures : failures + 1);
    }

    /** The wait before the next attempt, in milliseconds; {@code random} supplies the jitter. */
    long delayMillis(RandomGenerator random) {
        if (failures == 0) {
            return reconnectMillis;
        }
        long ceiling = ceilingMillis();
        long low = Math.max(reconnectMillis, ceiling / 2);
        if (low >= ceiling) {
            return low;
        }
        // In doubles so that huge values cannot overflow; clamped because rounding may land one past the ceiling.
        return Math.min(ceiling, low + (long) (random.nextDouble() * ((double) (ceiling - low) + 1)));
    }

    // max(reconnect, floor) * 2^failures, capped; the cap never goes below the reconnection time.
    private long ceilingMillis() {
        long cap = Math.max(maxMillis, reconnectMillis);
        long ceiling = Math.max(reconnectMillis, GROWTH_FLOOR_MILLIS);
        for (int i = 0; i < failures && ceiling < cap; i++) {
            ceiling = ceiling > cap / 2 ? cap : ceiling * 2;
        }
        return Math.min(ceiling, cap);
    }
}
