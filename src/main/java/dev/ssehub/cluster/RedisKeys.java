package dev.ssehub.cluster;

import java.nio.charset.StandardCharsets;

/**
 * The keys of one hub in Redis. All share the hash tag {@code {prefix}}, so that each script's keys are in one hash
 * slot and the scripts also run on a Redis Cluster; several hubs share one Redis under different prefixes.
 */
record RedisKeys(String prefix) {

    byte[] epoch() {
        return key("epoch");
    }

    byte[] sequence() {
        return key("sequence");
    }

    byte[] log() {
        return key("log");
    }

    byte[] tickerLease() {
        return key("ticker");
    }

    /** Where the id of an append with this idempotency key is remembered. */
    byte[] idempotency(String idempotencyKey) {
        return key("idempotency:" + idempotencyKey);
    }

    private byte[] key(String name) {
        return ("{" + prefix + "}:" + name).getBytes(StandardCharsets.UTF_8);
    }
}
