package dev.ssehub.client;

import java.time.Duration;
import java.util.Locale;

/** A wait as a person reads it in a notice: {@code 300 ms}, {@code 1.5 s}, {@code 12 s}, {@code 3 min}. */
final class HumanDuration {

    private HumanDuration() {
    }

    static String of(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 10_000 && millis % 1000 != 0) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (millis < 120_000) {
            return Math.round(millis / 1000.0) + " s";
        }
        return Math.round(millis / 60_000.0) + " min";
    }
}
