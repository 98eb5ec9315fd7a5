package dev.ssehub.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/** Records everything a parser reports, in arrival order, so a test can assert the exact sequence and nothing more. */
final class RecordingListener implements SseParser.Listener {

    record Comment(String text) {
    }

    record Retry(long millis) {
    }

    private final List<Object> reported = new ArrayList<>();

    @Override
    public void onEvent(SseEvent event) {
        reported.add(event);
    }

    @Override
    public void onComment(String comment) {
        reported.add(new Comment(comment));
    }

    @Override
    public void onRetry(long millis) {
        reported.add(new Retry(millis));
    }

    /** Everything reported since the last drain, in order: events, {@link Comment}s and {@link Retry}s. */
    List<Object> drain() {
        List<Object> all = List.copyOf(reported);
        reported.clear();
        return all;
    }

    void assertNoMore() {
        assertEquals(List.of(), drain(), "nothing further reported");
    }

    /** The whole stream in one feed, then its end. */
    static List<Object> parse(byte[] wire) {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder);
        parser.feed(wire);
        parser.finish();
        return recorder.drain();
    }
}
