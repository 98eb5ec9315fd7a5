package dev.ssehub.server;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Events published and deliveries per second over the last minutes, for the status page. The scheduler samples the
 * two counters once an interval; a reader gets the rates between consecutive samples, oldest first. The counters
 * are kept by {@link Metrics}; this only remembers where they stood.
 */
final class RateHistory {

    /** The rates over one interval, per second. */
    record Point(double published, double deliveries) {
    }

    private final int size;
    // Guarded by this: written by the scheduler's thread, read by requests for the status data.
    private final ArrayDeque<Point> points;
    private long lastNanos;
    private double lastPublished = Double.NaN;
    private double lastDeliveries;

    /** Keeps the rates of the last {@code size} intervals. */
    RateHistory(int size) {
        this.size = size;
        this.points = new ArrayDeque<>(size);
    }

    /** Records where the counters stand at {@code nanos}; the first sample only sets the starting point. */
    synchronized void sample(long nanos, double published, double deliveries) {
        if (!Double.isNaN(lastPublished) && nanos > lastNanos) {
            double seconds = (nanos - lastNanos) / 1e9;
            if (points.size() == size) {
                points.removeFirst();
            }
            points.addLast(new Point((published - lastPublished) / seconds, (deliveries - lastDeliveries) / seconds));
        }
        lastNanos = nanos;
        lastPublished = published;
        lastDeliveries = deliveries;
    }

    /** The rates of the last intervals, oldest first; empty until two samples were taken. */
    synchronized List<Point> points() {
        return List.copyOf(points);
    }
}
