package dev.ssehub.client;

import java.util.Objects;

/**
 * One event to publish with {@link Publisher}: {@code Publication.of("alerts", "disk full").withType("notification")
 * .withIdempotencyKey("disk-db-2-full")}.
 *
 * @param topic          the topic: 1 to 64 characters of {@code A-Z a-z 0-9 _ . -}
 * @param data           the event's data; may contain newlines
 * @param type           the SSE event type, which browsers dispatch by name; null for an unnamed event
 *                       ({@code message})
 * @param idempotencyKey names this one event, so that a retry with the same key publishes nothing and answers the
 *                       first id; null for none
 */
public record Publication(String topic, String data, String type, String idempotencyKey) {

    public Publication {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(data, "data");
        if (idempotencyKey != null && !isSingleLine(idempotencyKey)) {
            throw new IllegalArgumentException("an Idempotency-Key has no CR, LF or NUL");
        }
    }

    public static Publication of(String topic, String data) {
        return new Publication(topic, data, null, null);
    }

    public Publication withType(String newType) {
        return new Publication(topic, data, newType, idempotencyKey);
    }

    public Publication withIdempotencyKey(String newKey) {
        return new Publication(topic, data, type, newKey);
    }

    static boolean isSingleLine(String value) {
        return value.indexOf('\r') < 0 && value.indexOf('\n') < 0 && value.indexOf('\0') < 0;
    }
}
