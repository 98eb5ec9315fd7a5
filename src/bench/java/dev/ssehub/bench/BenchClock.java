package dev.ssehub.bench;

/**
 * Wall-clock time in microseconds, read from {@link System#nanoTime()} against one base taken at start. The
 * publisher and the load client share this process and so this clock: publish-to-receive latency is measured on
 * one monotonic clock, with microsecond resolution, and never jumps with NTP.
 */
final class BenchClock {

    private static final long BASE_NANOS = System.nanoTime();
    private static final long BASE_MICROS = System.currentTimeMillis() * 1000;

    private BenchClock() {
    }

    static long nowMicros() {
        return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1000;
    }
}
