package dev.ssehub.testkit;

import dev.ssehub.wire.SseEvent;
import dev.ssehub.wire.SseParser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Records what a parser reports, for tests to await event by event and to check that nothing more came. */
public final class RecordingListener implements SseParser.Listener {

    private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final List<Long> retries = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(SseEvent event) {
        events.add(event);
    }

    @Override
    public void onComment(String comment) {
        comments.add(comment);
    }

    @Override
    public void onRetry(long millis) {
        retries.add(millis);
    }

    /** The next event, failing the test when none arrives in time. */
    public SseEvent awaitEvent(Duration timeout) throws InterruptedException {
        SseEvent event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(event, "no event within " + timeout);
        return event;
    }

    /** The next {@code count} events, in order. */
    public List<SseEvent> awaitEvents(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SseEvent> received = new ArrayList<>(count);
        while (received.size() < count) {
            long left = deadline - System.nanoTime();
            SseEvent event = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            assertNotNull(event, "got " + received.size() + " of " + count + " events within " + timeout
                    + (received.isEmpty() ? "" : "; last: " + received.get(received.size() - 1)));
            received.add(event);
        }
        return received;
    }

    /** Fails when an event arrives within {@code quiet}. */
    public void assertNoMore(Duration quiet) throws InterruptedException {
        SseEvent extra = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        assertNull(extra, "unexpected event");
    }

    /** Fails when an event has already arrived, without waiting. */
    public void assertNoneYet() {
        assertNull(events.peek(), "unexpected event");
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    public List<Long> retries() {
        return List.copyOf(retries);
    }
}
