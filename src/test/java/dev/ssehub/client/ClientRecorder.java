package dev.ssehub.client;

import dev.ssehub.wire.SseEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Records every callback of an {@link EventSourceClient} in order, with the time it came, for tests to await and
 * to compare with an exact timeline such as {@code [open, event, error EOFException retry, closed]}.
 */
final class ClientRecorder implements EventSourceListener {

    record Signal(String kind, SseEvent event, Throwable error, boolean willRetry, long nanos, Thread thread) {

        /** "open", "event", "error HttpStatusException final", "error EOFException retry" or "closed". */
        String describe() {
            return kind.equals("error")
                    ? "error " + error.getClass().getSimpleName() + (willRetry ? " retry" : " final")
                    : kind;
        }
    }

    private final List<Signal> signals = new ArrayList<>();

    @Override
    public void onOpen() {
        add(new Signal("open", null, null, false, System.nanoTime(), Thread.currentThread()));
    }

    @Override
    public void onEvent(SseEvent event) {
        add(new Signal("event", event, null, false, System.nanoTime(), Thread.currentThread()));
    }

    @Override
    public void onError(Throwable error, boolean willRetry) {
        add(new Signal("error", null, error, willRetry, System.nanoTime(), Thread.currentThread()));
    }

    @Override
    public void onClosed() {
        add(new Signal("closed", null, null, false, System.nanoTime(), Thread.currentThread()));
    }

    /** A client of {@code uri} that reports to this recorder. */
    EventSourceClient connectTo(java.net.URI uri) {
        return EventSourceClient.builder(uri).listener(this).connect();
    }

    synchronized List<Signal> signals() {
        return List.copyOf(signals);
    }

    List<String> timeline() {
        return signals().stream().map(Signal::describe).toList();
    }

    List<SseEvent> events() {
        return signals().stream().filter(s -> s.kind().equals("event")).map(Signal::event).toList();
    }

    /** The first {@code count} events, waiting for them. */
    List<SseEvent> awaitEvents(int count, Duration timeout) throws InterruptedException {
        awaitCount("event", count, timeout);
        return events().subList(0, count);
    }

    /** The {@code n}-th signal of a kind (1 for the first), waiting for it. */
    Signal awaitCount(String kind, int n, Duration timeout) throws InterruptedException {
        List<Signal> matching = await(all -> all.stream().filter(s -> s.kind().equals(kind)).count() >= n,
                n + " x " + kind, timeout).stream().filter(s -> s.kind().equals(kind)).toList();
        return matching.get(n - 1);
    }

    Signal awaitClosed(Duration timeout) throws InterruptedException {
        return awaitCount("closed", 1, timeout);
    }

    private synchronized List<Signal> await(Predicate<List<Signal>> condition, String what, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(signals)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no " + what + " within " + timeout + "; got " + timeline());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(signals);
    }

    private synchronized void add(Signal signal) {
        signals.add(signal);
        notifyAll();
    }
}
