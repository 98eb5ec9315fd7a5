package dev.ssehub.server;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    @Test
    void environmentNamesAreUpperSnakeCase() {
        assertEquals("SSEHUB_MAX_QUEUE_BYTES", Settings.environmentName("maxQueueBytes"));
        assertEquals("SSEHUB_PUBLISH_TOKEN", Settings.environmentName("publishToken"));
        assertEquals("SSEHUB_RETRY", Settings.environmentName("retry"));
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        Settings settings = Settings.load(key -> null);
        assertEquals(1000, settings.tickIntervalMillis());
        assertEquals(15_000, settings.heartbeatIntervalMillis());
        assertEquals(3000, settings.retryMillis());
        assertEquals(256 * 1024, settings.maxQueueBytes());
        assertEquals(1000, settings.replaySize());
        assertEquals(64 * 1024, settings.maxEventBytes());
        assertEquals(10_000, settings.bodyReadTimeoutMillis());
        assertNull(settings.publishToken());
        assertFalse(settings.publishingEnabled());
        assertEquals(List.of(), settings.allowedOrigins());
    }

    @Test
    void valuesAreReadAndListsSplitOnCommas() {
        Map<String, String> values = Map.of("tickInterval", "0", "allowedOrigins", " https://a.example ,, https://b.example",
                "publishToken", "t");
        Settings settings = Settings.load(values::get);
        assertEquals(0, settings.tickIntervalMillis());
        assertEquals(List.of("https://a.example", "https://b.example"), settings.allowedOrigins());
        assertEquals("t", settings.publishToken());
    }

    @Test
    void aValueThatDoesNotParseNamesItsKey() {
        IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
                () -> Settings.load(Map.of("retry", "soon")::get));
        assertEquals("ssehub.retry must be a whole number, not 'soon'", notANumber.getMessage());
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> Settings.load(Map.of("heartbeatInterval", "0")::get));
        assertEquals("ssehub.heartbeatInterval must be between 1 and 2147483647, not 0", tooSmall.getMessage());
    }

    @Test
    void aQueueThatCouldNotTakeTheLargestEventTwiceStopsTheStart() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Settings.load(Map.of("maxQueueBytes", "100000", "maxEventBytes", "65536")::get));
        assertEquals("ssehub.maxQueueBytes (100000) must be at least twice ssehub.maxEventBytes (65536), so that every "
                + "event that can be published can be delivered, and a reconnecting client always gets at least one "
                + "event of its replay", refused.getMessage());
        Settings settings = Settings.load(Map.of("maxQueueBytes", "131072", "maxEventBytes", "65536")::get);
        assertEquals(65536, settings.replayLimits().pageBytes());
    }

    @Test
    void replayIsBoundedByDefault() {
        Settings settings = Settings.load(key -> null);
        assertEquals(64L << 20, settings.replayBytes());
        assertEquals(3_600_000, settings.topicExpiryMillis());
    }

    @Test
    void theNullOriginCannotBeAllowed() {
        IllegalArgumentException listed = assertThrows(IllegalArgumentException.class,
                () -> Settings.load(Map.of("allowedOrigins", "https://a.example, null")::get));
        assertEquals("ssehub.allowedOrigins must not list 'null': every sandboxed frame and file:// page sends it",
                listed.getMessage());
    }

    @Test
    void maxStreamsDefaultsToWhatTheOpenFileLimitHoldsAfterAReserve() {
        long limit = OpenFiles.limit();
        Settings settings = Settings.load(key -> null);
        if (limit > 10_000) {
            assertEquals(limit - OpenFiles.RESERVE, settings.maxStreams());
        } else {
            assertEquals(OpenFiles.streamsThatFit(), settings.maxStreams());
        }
        assertEquals(50, Settings.load(Map.of("maxStreams", "50")::get).maxStreams(), "a value given wins");
        assertTrue(settings.summary().contains("maxStreams " + settings.maxStreams() + " (open-file limit " + limit
                + ")"), settings.summary());
    }

    @Test
    void theStartLineNamesTheEffectiveSettingsButNeverATokenOrPassword() {
        Settings settings = Settings.load(Map.of("publishToken", "s3cret", "metricsToken", "m3tric",
                "redisUrl", "redis://user:pa55word@redis.internal:6379/2", "maxStreams", "500")::get);
        String line = settings.summary();
        assertTrue(line.contains("publishing on"), line);
        assertTrue(line.contains("maxStreams 500"), line);
        assertTrue(line.contains("several nodes on redis://redis.internal:6379/2 (prefix ssehub)"), line);
        assertTrue(line.contains("metrics with a token"), line);
        for (String secret : List.of("s3cret", "m3tric", "pa55word", "user")) {
            assertFalse(line.contains(secret), line);
        }
    }

    @Test
    void aValueThatDoesNotParseNamesWhereItCameFrom() {
        SettingSources fromEnvironment = new SettingSources(key -> null,
                Map.of("SSEHUB_TICK_INTERVAL", "abc")::get, key -> null);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Settings.load(fromEnvironment::value, fromEnvironment::nameOf));
        assertEquals("environment variable SSEHUB_TICK_INTERVAL must be a whole number, not 'abc'",
                refused.getMessage());

        SettingSources all = new SettingSources(Map.of("ssehub.retry", " 5 ")::get,
                Map.of("SSEHUB_RETRY", "6", "SSEHUB_METRICS_PUBLIC", "maybe")::get,
                Map.of("ssehub.retry", "7")::get);
        assertEquals("5", all.value("retry"), "a system property wins, trimmed");
        assertEquals("system property ssehub.retry", all.nameOf("retry"));
        assertEquals("environment variable SSEHUB_METRICS_PUBLIC must be true or false, not 'maybe'",
                assertThrows(IllegalArgumentException.class, () -> Settings.load(all::value, all::nameOf)).getMessage());
    }
}
