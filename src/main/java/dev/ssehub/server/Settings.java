package dev.ssehub.server;

import dev.ssehub.hub.ReplayLimits;

import jakarta.servlet.ServletContext;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Configuration, read once at start. Each key {@code x} is looked up as the system property {@code ssehub.x}, then
 * the environment variable {@code SSEHUB_X} (camel case becomes upper snake case), then the context-param
 * {@code ssehub.x}, then the built-in default. A value that does not parse stops the webapp from starting.
 */
record Settings(
        long tickIntervalMillis,
        long heartbeatIntervalMillis,
        long retryMillis,
        int maxQueueBytes,
        int replaySize,
        int writerThreads,
        String publishToken,
        int maxEventBytes,
        long bodyReadTimeoutMillis,
        List<String> allowedOrigins,
        int maxStreams,
        long overloadRetryMillis,
        int responseBufferSize,
        long replayBytes,
        long topicExpiryMillis,
        RedisSettings redis) {

    Settings {
        if (maxQueueBytes < 2L * maxEventBytes) {
            throw new IllegalArgumentException("ssehub.maxQueueBytes (" + maxQueueBytes + ") must be at least twice "
                    + "ssehub.maxEventBytes (" + maxEventBytes + "), so that every event that can be published can "
                    + "be delivered, and a reconnecting client always gets at least one event of its replay");
        }
    }

    /** Whether several nodes share one event log in Redis ({@code redisUrl} is set). */
    boolean clustered() {
        return redis != null;
    }

    /** Whether POST /publish is on: only when a token is configured. */
    boolean publishingEnabled() {
        return publishToken != null;
    }

    static Settings load(ServletContext context) {
        return load(key -> firstNonBlank(
                System.getProperty("ssehub." + key),
                System.getenv(environmentName(key)),
                context.getInitParameter("ssehub." + key)));
    }

    static Settings load(UnaryOperator<String> lookup) {
        Reader reader = new Reader(lookup);
        return new Settings(
                reader.number("tickInterval", 1000, 0),
                reader.number("heartbeatInterval", 15_000, 1),
                reader.number("retry", 3000, 0),
                (int) reader.number("maxQueueBytes", 256 * 1024, 1024),
                (int) reader.number("replaySize", 1000, 1),
                (int) reader.number("writerThreads", Runtime.getRuntime().availableProcessors(), 1),
                lookup.apply("publishToken"),
                (int) reader.number("maxEventBytes", 64 * 1024, 256),
                reader.number("bodyReadTimeout", 10_000, 1),
                allowedOrigins(reader.list("allowedOrigins")),
                (int) reader.number("maxStreams", 10_000, 1),
                reader.number("overloadRetry", 10_000, 1),
                (int) reader.number("responseBufferSize", 4096, 0),
                reader.number("replayBytes", 64L << 20, 64 * 1024),
                reader.number("topicExpiry", 3_600_000, 1000),
                RedisSettings.parse(lookup.apply("redisUrl"), lookup.apply("redisPrefix"),
                        reader.number("redisHistory", 100_000, 1000)));
    }

    /** What the hub keeps for replay; one reconnect replays at most half a queue, leaving room for live events. */
    ReplayLimits replayLimits() {
        return new ReplayLimits(replaySize, replayBytes, topicExpiryMillis, maxEventBytes, maxQueueBytes / 2);
    }

    private static List<String> allowedOrigins(List<String> origins) {
        if (origins.contains(CorsPolicy.OPAQUE_ORIGIN)) {
            throw new IllegalArgumentException("ssehub.allowedOrigins must not list 'null': "
                    + "every sandboxed frame and file:// page sends it");
        }
        return origins;
    }

    /** {@code maxQueueBytes} becomes {@code SSEHUB_MAX_QUEUE_BYTES}. */
    static String environmentName(String key) {
        return "SSEHUB_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    private record Reader(UnaryOperator<String> lookup) {

        long number(String key, long defaultValue, long minimum) {
            String text = lookup.apply(key);
            if (text == null) {
                return defaultValue;
            }
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ssehub." + key + " must be a whole number, not '" + text + "'");
            }
            if (value < minimum || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "ssehub." + key + " must be between " + minimum + " and " + Integer.MAX_VALUE + ", not " + value);
            }
            return value;
        }

        List<String> list(String key) {
            String text = lookup.apply(key);
            if (text == null) {
                return List.of();
            }
            return Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
        }
    }
}
