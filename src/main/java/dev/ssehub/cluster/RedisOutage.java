package dev.ssehub.cluster;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Whether Redis answers, as last seen by any of this node's connections; each change is logged once. */
final class RedisOutage {

    private static final Logger LOG = Logger.getLogger(RedisOutage.class.getName());

    private final String where;
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    RedisOutage(String where) {
        this.where = where;
    }

    void failed(Exception cause) {
        if (reachable.compareAndSet(true, false)) {
            LOG.log(Level.WARNING, "Redis at " + where + " is unreachable: " + cause
                    + "; publishing answers 503 and streams wait for it, reconnecting with backoff");
        }
    }

    void answered() {
        if (reachable.compareAndSet(false, true)) {
            LOG.info("Redis at " + where + " answers again");
        }
    }

    boolean isReachable() {
        return reachable.get();
    }
}
