package dev.ssehub.hub;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The ids given to recent appends that carried an idempotency key, so that a publisher that retries gets the first
 * id instead of a second event. Keys are kept for {@link #TTL_MILLIS} and at most {@link #MAX_KEYS} of them, the
 * oldest forgotten first. Not thread-safe: its log guards it.
 */
final class IdempotencyKeys {

    static final long TTL_MILLIS = 5 * 60_000;
    static final int MAX_KEYS = 100_000;

    private final LongSupplier clock;
    // In the order remembered, which is also the order they expire.
    private final LinkedHashMap<String, Remembered> byKey = new LinkedHashMap<>();

    IdempotencyKeys(LongSupplier clock) {
        this.clock = clock;
    }

    static IdempotencyKeys systemClock() {
        return new IdempotencyKeys(System::currentTimeMillis);
    }

    EventId find(String key) {
        forgetExpired();
        Remembered remembered = byKey.get(key);
        return remembered == null ? null : remembered.id();
    }

    void remember(String key, EventId id) {
        byKey.put(key, new Remembered(id, clock.getAsLong() + TTL_MILLIS));
        if (byKey.size() > MAX_KEYS) {
            Iterator<String> oldest = byKey.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private void forgetExpired() {
        long now = clock.getAsLong();
        for (Iterator<Map.Entry<String, Remembered>> it = byKey.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().expiresAt() > now) {
                return;
            }
            it.remove();
        }
    }

    private record Remembered(EventId id, long expiresAt) {
    }
}
