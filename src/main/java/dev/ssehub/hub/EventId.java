package dev.ssehub.hub;

/**
 * The id of a published event, written {@code <epoch>-<sequence>}: the epoch is the hub's start time in
 * milliseconds, the sequence counts from 1 across all topics. The epoch makes an id from a previous run of the
 * server recognisable as unknown instead of being taken for an id of this run.
 */
public record EventId(long epoch, long sequence) {

    public EventId {
        if (epoch < 0 || sequence < 0) {
            throw new IllegalArgumentException("event id parts must not be negative");
        }
    }

    /** Parses {@code <epoch>-<sequence>}; null when the text is not of that form. */
    public static EventId parse(String text) {
        if (text == null || text.length() > 40) {
            return null;
        }
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            return null;
        }
        long epoch = parseDigits(text, 0, dash);
        long sequence = parseDigits(text, dash + 1, text.length());
        return epoch < 0 || sequence < 0 ? null : new EventId(epoch, sequence);
    }

    @Override
    public String toString() {
        return epoch + "-" + sequence;
    }

    // Digits only (no sign, no spaces), at most 18 of them so the value fits a long; -1 otherwise.
    private static long parseDigits(String text, int from, int to) {
        if (to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
