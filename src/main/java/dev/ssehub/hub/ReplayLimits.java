package dev.ssehub.hub;

/**
 * What the hub keeps and accepts: events kept per topic, bytes kept over all topics, how long a topic without new
 * events keeps them, the largest event on the wire, and how many bytes of replay one reconnect gets at once.
 */
public record ReplayLimits(int eventsPerTopic, long totalBytes, long topicExpiryMillis, int maxEventBytes,
        int pageBytes) {

    public ReplayLimits {
        if (eventsPerTopic < 1 || totalBytes < 1 || topicExpiryMillis < 1 || maxEventBytes < 1) {
            throw new IllegalArgumentException("replay limits must be positive");
        }
        if (pageBytes < maxEventBytes) {
            // A page always holds one event, so a reconnecting client makes progress whatever it missed.
            throw new IllegalArgumentException("a replay page must hold the largest event");
        }
    }

    /** Generous limits for tests and embedding: 1,000 events a topic, 64 MiB, an hour, 64 KiB events. */
    public static ReplayLimits perTopic(int eventsPerTopic) {
        return new ReplayLimits(eventsPerTopic, 64L << 20, 3_600_000, 64 * 1024, 128 * 1024);
    }
}
