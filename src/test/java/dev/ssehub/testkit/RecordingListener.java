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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Records what a parser reports. Tests of a live stream await events one by one ({@link #awaitEvent}) and check that
 * nothing more came; tests of the parser alone take everything reported, in order, with {@link #drain}.
 */
public final class RecordingListener implements SseParser.Listener {

    /** A comment as reported, in {@link #drain}'s list. */
    public record Comment(String text) {
    }

    /** A retry as reported, in {@link #drain}'s list. */
    public record Retry(long millis) {
    }

    private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final List<Long> retries = new CopyOnWriteArrayList<>();
    private final List<Object> reported = new CopyOnWriteArrayList<>();

    /** Feeds the whole stream at once, then ends it, and returns everything reported. */
    public static List<Object> parse(byte[] wire) {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder);
        parser.feed(wire);
        parser.finish();
        return recorder.drain();
    }

    @Override
    public void onEvent(SseEvent event) {
        events.add(event);
        reported.add(event);
    }

    @Override
    public void onComment(String comment) {
        comments.add(comment);
        reported.add(new Comment(comment));
    }

    @Override
    public void onRetry(long millis) {
        retries.add(millis);
        reported.add(new Retry(millis));
    }

    /** Everything reported since the last drain, in order: events, {@link Comment}s and {@link Retry}s. */
    public List<Object> drain() {
        List<Object> all = List.copyOf(reported);
        reported.clear();
        return all;
    }

    /** Fails when anything was reported since the last {@link #drain}. */
    public void assertNoMore() {
        assertEquals(List.of(), drain(), "nothing further reported");
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

    /** The events that arrived and were not taken yet, without waiting; safe while the stream is still read. */
    public List<SseEvent> takeArrived() {
        List<SseEvent> arrived = new ArrayList<>();
        events.drainTo(arrived);
        return arrived;
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
