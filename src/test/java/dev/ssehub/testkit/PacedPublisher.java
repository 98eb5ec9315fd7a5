package dev.ssehub.testkit;

import dev.ssehub.wire.SseEvent;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publishes {@code count} events to one topic at a steady pace, as a program that must not lose or double an event
 * would: each publish carries an {@code Idempotency-Key}, and one that fails (a 5xx, a dropped connection) is sent
 * again with the same key until it is answered 200. When the first try was published, the retry is answered that
 * id and publishes nothing. Event {@code i} (from 1) has the data {@code "event i"} and the key {@code "<topic>-i"}.
 * Run it on a thread of its own; a 4xx, or no 200 within the retry timeout, fails it.
 */
public final class PacedPublisher implements Runnable {

    private static final long RETRY_PAUSE_MILLIS = 50;

    private final URI webappRoot;
    private final String token;
    private final String topic;
    private final int count;
    private final Duration interval;
    private final Duration retryTimeout;
    // Written by the publishing thread; read by the test while it runs and after.
    private final List<SseEvent> published = new CopyOnWriteArrayList<>();
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private volatile long startNanos;

    public PacedPublisher(URI webappRoot, String token, String topic, int count, Duration interval,
            Duration retryTimeout) {
        this.webappRoot = webappRoot;
        this.token = token;
        this.topic = topic;
        this.count = count;
        this.interval = interval;
        this.retryTimeout = retryTimeout;
    }

    @Override
    public void run() {
        startNanos = System.nanoTime();
        try {
            for (int i = 1; i <= count; i++) {
                long wait = startNanos + (i - 1) * interval.toNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String data = "event " + i;
                published.add(new SseEvent(publish(topic + "-" + i, data), null, data, null, null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The events published so far, as a subscriber receives them (id and data), in order. */
    public List<SseEvent> published() {
        return List.copyOf(published);
    }

    public int publishedCount() {
        return published.size();
    }

    /** Each failed try, as "key: status" or "key: exception". */
    public List<String> retries() {
        return List.copyOf(retries);
    }

    /** Milliseconds since the first publish started. */
    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private String publish(String key, String data) throws InterruptedException {
        long deadline = System.nanoTime() + retryTimeout.toNanos();
        while (true) {
            String failure;
            try {
                Http.Reply reply = PublishClient.post(webappRoot, token, key, topic, null, data);
                if (reply.status() == 200) {
                    return PublishClient.idOf(reply);
                }
                assertTrue(reply.status() >= 500, "POST /publish answered " + reply.status() + ": " + reply.body());
                failure = Integer.toString(reply.status());
            } catch (IOException e) {
                failure = e.getClass().getSimpleName();
            }
            retries.add(key + ": " + failure);
            assertTrue(System.nanoTime() < deadline, key + " not published within " + retryTimeout
                    + "; failed tries: " + retries);
            Thread.sleep(RETRY_PAUSE_MILLIS);
        }
    }
}
