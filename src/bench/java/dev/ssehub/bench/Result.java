package dev.ssehub.bench;

import org.HdrHistogram.Histogram;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured row: a system under one load. Latencies in milliseconds, memory in KiB per held stream over the
 * server's baseline before any stream, CPU in percent of one core (200% is both cores of a 2-core machine).
 * NaN where a figure does not apply (Flask has no heap figure and no publish latency). {@code figures} holds what
 * only one scenario measures (the storm's reconnects a second, the slow-body scenario's probe latencies), by name,
 * in the order they were taken.
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
        long publishFailures,
        Map<String, Double> figures) {

    /** The figure holding the 1-minute load average as the window ended. */
    static final String LOAD = "load";

    Result {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    static double ms(Histogram micros, double percentile) {
        if (micros == null || micros.getTotalCount() == 0) {
            return Double.NaN;
        }
        long value = percentile >= 100 ? micros.getMaxValue() : micros.getValueAtPercentile(percentile);
        return value / 1000.0;
    }

    /** A scenario's own figure by name, NaN when it was not taken. */
    double figure(String name) {
        return figures.getOrDefault(name, Double.NaN);
    }

    Result withVariant(String newVariant) {
        return new Result(scenario, system, newVariant, asked, held, failures, events, deliveries, missing,
                deliveriesPerSecond, p50, p90, p99, max, heapKiB, directKiB, rssKiB, serverThreads, serverCpu,
                clientCpu, publishesPerSecond, publishP99, publishLagMax, publishFailures, figures);
    }

    Result withPublishing(double newPublishesPerSecond) {
        return new Result(scenario, system, variant, asked, held, failures, events, deliveries, missing,
                deliveriesPerSecond, p50, p90, p99, max, heapKiB, directKiB, rssKiB, serverThreads, serverCpu,
                clientCpu, newPublishesPerSecond, publishP99, publishLagMax, publishFailures, figures);
    }

    Result withFigures(Map<String, Double> more) {
        Map<String, Double> all = new LinkedHashMap<>(figures);
        all.putAll(more);
        return new Result(scenario, system, variant, asked, held, failures, events, deliveries, missing,
                deliveriesPerSecond, p50, p90, p99, max, heapKiB, directKiB, rssKiB, serverThreads, serverCpu,
                clientCpu, publishesPerSecond, publishP99, publishLagMax, publishFailures, all);
    }

    boolean hasLatency() {
        return !Double.isNaN(p99);
    }
}
