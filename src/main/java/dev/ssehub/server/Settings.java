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
        RedisSettings redis,
        String metricsToken,
        boolean metricsPublic,
        long drainTimeMillis,
        long maxStreamAgeMillis,
        TokenSettings tokens) {

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

    /** The effective settings in one line for the log at start: never a token or password. */
    String summary() {
        String metrics = metricsPublic ? "public" : metricsToken != null ? "with a token" : "off";
        String cluster = redis == null ? "a single node"
                : "several nodes on " + redis.where() + " (prefix " + redis.prefix() + ")";
        return "ssehub " + Version.current() + " on " + cluster + ": publishing " + (publishingEnabled() ? "on" : "off")
                + ", maxStreams " + maxStreams + " (open-file limit " + OpenFiles.limit() + ")"
                + ", replay " + replaySize + " events a topic and " + replayBytes / 1024 + " KiB in all"
                + ", queue " + maxQueueBytes / 1024 + " KiB a stream, events up to " + maxEventBytes / 1024 + " KiB"
                + ", ticker " + (tickIntervalMillis == 0 ? "off" : "every " + tickIntervalMillis + " ms")
                + ", heartbeat " + heartbeatIntervalMillis + " ms, metrics " + metrics
                + ", drain " + drainTimeMillis + " ms"
                + (maxStreamAgeMillis > 0 ? ", streams rotated after " + maxStreamAgeMillis + " ms" : "")
                + ", " + tokens.summary();
    }

    /** Whether POST /publish is on: only when the publish token, or a key for tokens with publish grants, is set. */
    boolean publishingEnabled() {
        return publishToken != null || tokens.enabled();
    }

    static Settings load(ServletContext context) {
        SettingSources sources = new SettingSources(System::getProperty, System::getenv, context::getInitParameter);
        return load(sources::value, sources::nameOf);
    }

    static Settings load(UnaryOperator<String> lookup) {
        return load(lookup, key -> "ssehub." + key);
    }

    /** {@code nameOf} says where a key's value came from, so that an error names what the operator must fix. */
    static Settings load(UnaryOperator<String> lookup, UnaryOperator<String> nameOf) {
        Reader reader = new Reader(lookup, nameOf);
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
                (int) reader.number("maxStreams", OpenFiles.streamsThatFit(), 1),
                reader.number("overloadRetry", 10_000, 1),
                (int) reader.number("responseBufferSize", 4096, 0),
                reader.number("replayBytes", 64L << 20, 64 * 1024),
                reader.number("topicExpiry", 3_600_000, 1000),
                RedisSettings.parse(lookup.apply("redisUrl"), lookup.apply("redisPrefix"),
                        reader.number("redisHistory", 100_000, 1000)),
                lookup.apply("metricsToken"),
                reader.flag("metricsPublic"),
                reader.number("drainTime", 10_000, 0),
                reader.number("maxStreamAge", 0, 0),
                TokenSettings.parse(lookup.apply("jwtSecret"), lookup.apply("jwtKeys"), lookup.apply("jwtIssuer"),
                        lookup.apply("jwtAudience"), reader.number("jwtClockSkew", 30_000, 0),
                        reader.list("privateTopics"), reader.flag("allowQueryToken")));
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


    private record Reader(UnaryOperator<String> lookup, UnaryOperator<String> nameOf) {

        long number(String key, long defaultValue, long minimum) {
            String text = lookup.apply(key);
            if (text == null) {
                return defaultValue;
            }
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(nameOf.apply(key) + " must be a whole number, not '" + text + "'");
            }
            if (value < minimum || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        nameOf.apply(key) + " must be between " + minimum + " and " + Integer.MAX_VALUE + ", not " + value);
            }
            return value;
        }

        boolean flag(String key) {
            String text = lookup.apply(key);
            if (text == null || text.equalsIgnoreCase("false")) {
                return false;
            }
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            throw new IllegalArgumentException(nameOf.apply(key) + " must be true or false, not '" + text + "'");
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
