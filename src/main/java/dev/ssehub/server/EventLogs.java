package dev.ssehub.server;

import dev.ssehub.cluster.RedisEventLog;
import dev.ssehub.hub.EventLog;
import dev.ssehub.hub.MemoryEventLog;

import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The event log the settings ask for, and what comes with it: this node's own log, on which the ticker always
 * ticks and which is always reachable; or the cluster's log in Redis, where one node at a time holds the ticker's
 * lease, and which may be out of reach.
 */
record EventLogs(EventLog log, BooleanSupplier tickerLease, BooleanSupplier reachable) {

    static EventLogs forSettings(Settings settings) {
        if (!settings.clustered()) {
            return new EventLogs(new MemoryEventLog(), () -> true, () -> true);
        }
        RedisSettings redis = settings.redis();
        RedisEventLog log = new RedisEventLog(redis.url(), redis.prefix(), redis.history());
        String node = UUID.randomUUID().toString();
        // Three ticks long: a node that stopped ticking hands the clock to another within about three seconds.
        long leaseMillis = Math.max(3000, 3 * settings.tickIntervalMillis());
        return new EventLogs(log, () -> log.holdLease(node, leaseMillis), log::isReachable);
    }
}
