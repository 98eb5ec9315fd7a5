package dev.ssehub.hub;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub alone: ids, per-topic replay, the seam and dropping sinks that cannot keep up. */
class HubTest {

    private static final long EPOCH = 1_700_000_000_000L;

    /** A sink that keeps every frame as text, and can be told to refuse after a number of frames. */
    private static final class TextSink implements EventSink {
        final List<String> frames = new ArrayList<>();
        int capacity = Integer.MAX_VALUE;
        boolean aborted;
        String farewell;

        @Override
        public boolean offer(byte[] frame) {
            if (frames.size() == capacity) {
                return false;
            }
            frames.add(new String(frame, StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public void finish(byte[] bytes) {
            farewell = new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }

    @Test
    void idsCountUpAcrossTopicsAndFramesAreEncodedOnce() {
        Hub hub = new Hub(10, EPOCH);
        TextSink a = new TextSink();
        TextSink b = new TextSink();
        hub.subscribe(List.of("a"), null, a);
        hub.subscribe(List.of("a", "b"), null, b);

        assertNull(hub.lastId());
        assertEquals(new EventId(EPOCH, 1), hub.publish("a", null, "one"));
        assertEquals(new EventId(EPOCH, 2), hub.publish("b", "chat", "two\nlines"));
        assertEquals(new EventId(EPOCH, 3), hub.publish("c", null, "nobody listens"));

        assertEquals(List.of("id: " + EPOCH + "-1\ndata: one\n\n"), a.frames);
        assertEquals(List.of("id: " + EPOCH + "-1\ndata: one\n\n",
                "id: " + EPOCH + "-2\nevent: chat\ndata: two\ndata: lines\n\n"), b.frames);
        assertEquals(new EventId(EPOCH, 3), hub.lastId());
    }

    @Test
    void replayMergesTheSubscribedTopicsInIdOrder() {
        Hub hub = new Hub(10, EPOCH);
        for (int i = 1; i <= 6; i++) {
            hub.publish(i % 3 == 0 ? "c" : i % 2 == 0 ? "b" : "a", null, "e" + i);
        }
        TextSink sink = new TextSink();
        hub.subscribe(Set.of("b", "a"), EPOCH + "-1", sink);

        assertEquals(List.of("id: " + EPOCH + "-2\ndata: e2\n\n", "id: " + EPOCH + "-4\ndata: e4\n\n",
                "id: " + EPOCH + "-5\ndata: e5\n\n"), sink.frames);
    }

    @Test
    void aTopicsLogKeepsItsOwnLastEventsSoAQuietTopicIsNotCrowdedOut() {
        Hub hub = new Hub(3, EPOCH);
        hub.publish("quiet", null, "q1");
        for (int i = 0; i < 100; i++) {
            hub.publish("busy", null, "b" + i);
        }
        TextSink quiet = new TextSink();
        hub.subscribe(List.of("quiet"), EPOCH + "-0", quiet);
        TextSink busy = new TextSink();
        hub.subscribe(List.of("busy"), EPOCH + "-50", busy);

        assertEquals(List.of("id: " + EPOCH + "-1\ndata: q1\n\n"), quiet.frames);
        assertEquals(1, busy.frames.size());
        assertTrue(busy.frames.get(0).contains("event: missed\n"), busy.frames.get(0));
        assertTrue(busy.frames.get(0).contains("\"reason\":\"too-old\""), busy.frames.get(0));
    }

    @Test
    void replayLongerThanTheQueueIsSentInPagesEndedByAShortRetry() {
        Hub hub = new Hub(100, EPOCH);
        for (int i = 1; i <= 10; i++) {
            hub.publish("a", null, "e" + i);
        }
        TextSink sink = new TextSink();
        sink.capacity = 4;
        hub.subscribe(List.of("a"), EPOCH + "-2", sink);

        assertEquals(4, sink.frames.size());
        assertTrue(sink.frames.get(3).startsWith("id: " + EPOCH + "-6\n"));
        assertEquals("retry: 100\n\n", sink.farewell);
        assertEquals(0, hub.subscriberCount(), "not registered: it comes back for the next page");
    }

    @Test
    void aSinkThatRefusesIsDroppedAndTheOthersCarryOn() {
        Hub hub = new Hub(10, EPOCH);
        TextSink full = new TextSink();
        full.capacity = 1;
        TextSink fine = new TextSink();
        hub.subscribe(List.of("a"), null, full);
        hub.subscribe(List.of("a"), null, fine);

        hub.publish("a", null, "1");
        hub.publish("a", null, "2");
        hub.publish("a", null, "3");

        assertTrue(full.aborted);
        assertFalse(fine.aborted);
        assertEquals(3, fine.frames.size());
        assertEquals(1, hub.subscriberCount());
    }

    @Test
    void shutdownSaysFarewellAndRefusesNewWork() {
        Hub hub = new Hub(10, EPOCH);
        TextSink sink = new TextSink();
        hub.subscribe(List.of("a"), null, sink);

        hub.shutdown("retry: 3000\n\n".getBytes(StandardCharsets.UTF_8));

        assertEquals("retry: 3000\n\n", sink.farewell);
        assertEquals(0, hub.subscriberCount());
        assertThrows(IllegalStateException.class, () -> hub.publish("a", null, "late"));
    }

    @Test
    void topicNamesFollowTheDocumentedRule() {
        assertTrue(Hub.isValidTopic("chat.room-1_A"));
        assertTrue(Hub.isValidTopic("x".repeat(64)));
        assertFalse(Hub.isValidTopic("x".repeat(65)));
        assertFalse(Hub.isValidTopic(""));
        assertFalse(Hub.isValidTopic("a b"));
        assertFalse(Hub.isValidTopic("a/b"));
        assertFalse(Hub.isValidTopic("é"));
        assertFalse(Hub.isValidTopic("a\nb"));
    }

    @Test
    void eventIdsParseOnlyTheirOwnForm() {
        assertEquals(new EventId(5, 7), EventId.parse("5-7"));
        assertEquals("5-7", new EventId(5, 7).toString());
        for (String bad : new String[] {"", "5", "5-", "-7", "5-7-9", "a-1", "5 -7", "+5-7", "1".repeat(19) + "-1"}) {
            assertNull(EventId.parse(bad), bad);
        }
    }
}
