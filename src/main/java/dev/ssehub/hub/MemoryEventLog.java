package dev.ssehub.hub;

/**
 * The log of a single node: ids counted in this process from an epoch that is the time it started, each event
 * handed to the hub as it is appended. What is kept for replay is the hub's business.
 */
public final class MemoryEventLog implements EventLog {

    private final long epoch;
    // Guarded by this: appends are numbered and delivered one at a time, so the hub sees them in id order.
    private final IdempotencyKeys idempotencyKeys;
    private long lastSequence;
    private LogListener hub;

    public MemoryEventLog() {
        this(System.currentTimeMillis(), IdempotencyKeys.systemClock());
    }

    MemoryEventLog(long epoch, IdempotencyKeys idempotencyKeys) {
        this.epoch = epoch;
        this.idempotencyKeys = idempotencyKeys;
    }

    @Override
    public synchronized void start(LogListener hub) {
        this.hub = hub;
        hub.skip(new EventId(epoch, 0));
    }

    @Override
    public synchronized EventId append(String topic, byte[] body, String idempotencyKey) {
        if (hub == null) {
            throw new IllegalStateException("the event log is not started");
        }
        EventId earlier = idempotencyKey == null ? null : idempotencyKeys.find(idempotencyKey);
        if (earlier != null) {
            return earlier;
        }
        EventId id = new EventId(epoch, ++lastSequence);
        hub.deliver(id, topic, body);
        if (idempotencyKey != null) {
            idempotencyKeys.remember(idempotencyKey, id);
        }
        return id;
    }

    @Override
    public void stop() {
        // nothing runs on its own
    }
}
