package dev.ssehub.bench;

import org.HdrHistogram.Histogram;

/**
 * One measured row: a system under one load. Latencies in milliseconds, memory in KiB per held stream over the
 * server's baseline before any stream, CPU in percent of one core (200% is both cores of a 2-core machine).
 * NaN where a figure does not apply (Flask has no heap figure and no publish latency).
 */
record Result(
        String scenario,
        SystemKind system,
        String variant,
        int asked,
        int held,
        LoadClient.Failures failures,
        long events,
        long deliveries,
        long missing,
        double deliveriesPerSecond,
        double p50,
        double p90,
        double p99,
        double max,
        double heapKiB,
        double directKiB,
        double rssKiB,
        int serverThreads,
        double serverCpu,
        double clientCpu,
        double publishesPerSecond,
        double publishP99,
        double publishLagMax,
        long publishFailures) {

    static double ms(Histogram micros, double percentile) {
        if (micros == null || micros.getTotalCount() == 0) {
            return Double.NaN;
        }
        long value = percentile >= 100 ? micros.getMaxValue() : micros.getValueAtPercentile(percentile);
        return value / 1000.0;
    }

    boolean hasLatency() {
        return !Double.isNaN(p99);
    }
}
