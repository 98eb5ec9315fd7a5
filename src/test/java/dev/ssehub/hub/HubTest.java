package dev.ssehub.hub;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub alone: ids, per-topic replay, the seam and dropping sinks that cannot keep up. */
class HubTest {

    private static final long EPOCH = 1_700_000_000_000L;

    /** A sink that keeps every frame as text, and can be told to refuse after a number of frames. */
    private static class TextSink implements EventSink {
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

    private static Hub hub(int eventsPerTopic) {
        return hub(ReplayLimits.perTopic(eventsPerTopic), () -> 0L);
    }

    private static Hub hub(ReplayLimits limits, LongSupplier clock) {
        return new Hub(limits, new MemoryEventLog(EPOCH, new IdempotencyKeys(clock)), clock).start();
    }

    @Test
    void idsCountUpAcrossTopicsAndFramesAreEncodedOnce() {
        Hub hub = hub(10);
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
    void aStreamWithoutAnIdIsToldWhereItStartsSoItCanResumeBeforeItsFirstEvent() {
        Hub hub = hub(10);
        TextSink beforeAnyEvent = new TextSink();
        hub.subscribe(List.of("a"), null, beforeAnyEvent);
        assertEquals(List.of(), beforeAnyEvent.frames, "no event yet: no position to tell");

        hub.publish("b", null, "elsewhere");
        TextSink fresh = new TextSink();
        hub.subscribe(List.of("a"), null, fresh);
        assertEquals(List.of("id: " + EPOCH + "-1\n\n"), fresh.frames, "an id alone: no event, only a position");

        // Dropped before its first event; what was published meanwhile comes back with the id it was told.
        hub.unsubscribe(fresh);
        hub.publish("a", null, "while away");
        TextSink resumed = new TextSink();
        hub.subscribe(List.of("a"), EPOCH + "-1", resumed);
        assertEquals(List.of("id: " + EPOCH + "-2\ndata: while away\n\n"), resumed.frames);
    }

    @Test
    void replayMergesTheSubscribedTopicsInIdOrder() {
        Hub hub = hub(10);
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
        Hub hub = hub(3);
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
        Hub hub = hub(100);
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
    void aReplayLongerThanAPageComesInPagesThatJoinWithoutGapOrDuplicate() {
        // Three topics, frames of different sizes, pages of about 200 bytes: a page is cut where a topic is cut.
        Hub hub = hub(new ReplayLimits(1000, 1 << 20, 3_600_000, 100, 200), () -> 0L);
        List<Long> expected = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            String topic = i % 3 == 0 ? "c" : i % 2 == 0 ? "b" : "a";
            hub.publish(topic, null, "x".repeat(i % 7 * 5));
            if (!topic.equals("c")) {
                expected.add((long) i);
            }
        }
        List<Long> received = new ArrayList<>();
        String lastId = EPOCH + "-0";
        for (int pages = 1; ; pages++) {
            TextSink sink = new TextSink();
            hub.subscribe(List.of("a", "b"), lastId, sink);
            for (String frame : sink.frames) {
                received.add(EventId.parse(frame.substring(4, frame.indexOf('\n'))).sequence());
            }
            lastId = EPOCH + "-" + received.get(received.size() - 1);
            if (sink.farewell == null) {
                assertEquals(1, hub.subscriberCount(), "the last page goes live");
                assertTrue(pages > 5, "pages: " + pages);
                break;
            }
            assertEquals("retry: 100\n\n", sink.farewell);
        }
        assertEquals(expected, received);
    }

    @Test
    void replayIsCopiedOutsideThePublishLockAndEventsPublishedMeanwhileFollowIt() throws Exception {
        Hub hub = hub(100);
        hub.publish("a", null, "one");
        hub.publish("a", null, "two");
        CountDownLatch replaying = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TextSink sink = new TextSink() {
            @Override
            public boolean offer(byte[] frame) {
                replaying.countDown();
                awaitQuietly(release); // a sink must never block; here it shows that nobody waits for it
                return super.offer(frame);
            }
        };
        Thread subscriber = new Thread(() -> hub.subscribe(List.of("a"), EPOCH + "-0", sink));
        subscriber.start();
        assertTrue(replaying.await(5, TimeUnit.SECONDS));

        CompletableFuture<EventId> live = CompletableFuture.supplyAsync(() -> hub.publish("a", null, "three"));
        assertEquals(new EventId(EPOCH, 3), live.get(5, TimeUnit.SECONDS), "publishing waited for a replay");
        release.countDown();
        subscriber.join(5000);

        assertEquals(List.of("id: " + EPOCH + "-1\ndata: one\n\n", "id: " + EPOCH + "-2\ndata: two\n\n",
                "id: " + EPOCH + "-3\ndata: three\n\n"), sink.frames);
        hub.publish("a", null, "four");
        assertEquals("id: " + EPOCH + "-4\ndata: four\n\n", sink.frames.get(3));
    }

    @Test
    void nothingOfATopicSurvivesItsLastSubscriberUnlessItHoldsEvents() {
        Hub hub = hub(10);
        List<TextSink> sinks = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            List<String> topics = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                topics.add(Long.toString(random.nextLong(), 36));
            }
            TextSink sink = new TextSink();
            hub.subscribe(topics, null, sink);
            sinks.add(sink);
        }
        hub.publish("kept", null, "an event");
        assertEquals(16_000, hub.subscribedTopicCount());

        sinks.forEach(hub::unsubscribe);

        assertEquals(0, hub.subscribedTopicCount());
        assertEquals(1, hub.retainedTopicCount());
    }

    @Test
    void whatTheLogsHoldStaysWithinTheByteBudgetOldestFirst() {
        Hub hub = hub(new ReplayLimits(1000, 20_000, 3_600_000, 1024, 2048), () -> 0L);
        for (int i = 1; i <= 100_000; i++) {
            hub.publish("topic-" + i, null, "event " + i);
        }
        assertTrue(hub.retainedBytes() <= 20_000, "retained " + hub.retainedBytes());
        assertTrue(hub.retainedTopicCount() < 250, "topics " + hub.retainedTopicCount());

        TextSink evicted = new TextSink();
        hub.subscribe(List.of("topic-5"), EPOCH + "-4", evicted);
        assertEquals(List.of("id: " + EPOCH + "-100000\nevent: missed\n"
                + "data: {\"lastEventId\":\"" + EPOCH + "-4\",\"reason\":\"too-old\"}\n\n"), evicted.frames);
        TextSink recent = new TextSink();
        hub.subscribe(List.of("topic-99999", "topic-100000"), EPOCH + "-99998", recent);
        assertEquals(List.of("id: " + EPOCH + "-99999\ndata: event 99999\n\n",
                "id: " + EPOCH + "-100000\ndata: event 100000\n\n"), recent.frames);
    }

    @Test
    void aTopicPublishedNothingForTheExpiryTimeForgetsItsLog() {
        AtomicLong now = new AtomicLong();
        Hub hub = hub(new ReplayLimits(1000, 1 << 20, 3000, 1024, 2048), now::get);
        hub.publish("old", null, "o1");
        now.set(2000);
        hub.publish("new", null, "n1");
        now.set(3500);
        hub.expireIdleTopics();

        assertEquals(1, hub.retainedTopicCount());
        TextSink missedIt = new TextSink();
        hub.subscribe(List.of("old"), EPOCH + "-0", missedIt);
        assertTrue(missedIt.frames.get(0).contains("\"reason\":\"too-old\""), missedIt.frames.get(0));
        TextSink sawIt = new TextSink();
        hub.subscribe(List.of("old", "new"), EPOCH + "-1", sawIt);
        assertEquals(List.of("id: " + EPOCH + "-2\ndata: n1\n\n"), sawIt.frames);
    }

    @Test
    void anEventLargerOnTheWireThanTheLimitIsRefusedAndNothingIsPublished() {
        Hub hub = hub(new ReplayLimits(1000, 1 << 20, 3_600_000, 1024, 2048), () -> 0L);
        TextSink sink = new TextSink();
        hub.subscribe(List.of("a"), null, sink);

        // 200 bytes of data, but 200 lines of "data: " on the wire.
        EventTooLargeException refused = assertThrows(EventTooLargeException.class,
                () -> hub.publish("a", null, "\n".repeat(200)));
        assertEquals(1024, refused.limitBytes());
        assertTrue(refused.encodedBytes() > 1400, "encoded " + refused.encodedBytes());
        assertNull(hub.lastId());
        assertEquals(List.of(), sink.frames);
        assertEquals(0, hub.retainedTopicCount());
    }

    /** A log the test feeds by hand, as a shared log feeds a node: gaps, new epochs, ids from other nodes. */
    private static final class FedLog implements EventLog {
        LogListener hub;
        long catchUpMillis;

        @Override
        public void start(LogListener hub) {
            this.hub = hub;
            hub.skip(new EventId(EPOCH, 0));
        }

        @Override
        public EventId append(String topic, byte[] body, String idempotencyKey) {
            throw new EventLogUnavailableException("the test publishes through deliver", null);
        }

        @Override
        public long catchUpMillis() {
            return catchUpMillis;
        }

        @Override
        public void stop() {
        }

        void deliver(long epoch, long sequence, String topic, String data) {
            hub.deliver(new EventId(epoch, sequence), topic, ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void whatTheLogLostIsAMissedNoticeForLiveSubscribersAndTooOldForReplays() {
        FedLog log = new FedLog();
        Hub hub = new Hub(ReplayLimits.perTopic(100), log, () -> 0L).start();
        log.deliver(EPOCH, 1, "a", "one");
        TextSink live = new TextSink();
        hub.subscribe(List.of("a"), null, live);

        log.hub.skip(new EventId(EPOCH, 5)); // this node fell behind, and the log forgot 2 to 5
        log.deliver(EPOCH, 6, "a", "six");

        assertEquals(List.of("id: " + EPOCH + "-1\n\n", "id: " + EPOCH + "-5\nevent: missed\n"
                + "data: {\"lastEventId\":\"" + EPOCH + "-1\",\"reason\":\"too-old\"}\n\n",
                "id: " + EPOCH + "-6\ndata: six\n\n"), live.frames);
        TextSink behind = new TextSink();
        hub.subscribe(List.of("a"), EPOCH + "-1", behind);
        assertTrue(behind.frames.get(0).contains("\"reason\":\"too-old\""), behind.frames.get(0));
        TextSink after = new TextSink();
        hub.subscribe(List.of("a"), EPOCH + "-5", after);
        assertEquals(List.of("id: " + EPOCH + "-6\ndata: six\n\n"), after.frames);
    }

    @Test
    void aNewEpochMakesEveryOldIdUnknownAndTellsLiveSubscribers() {
        FedLog log = new FedLog();
        Hub hub = new Hub(ReplayLimits.perTopic(100), log, () -> 0L).start();
        log.deliver(EPOCH, 1, "a", "old");
        TextSink live = new TextSink();
        hub.subscribe(List.of("a"), null, live);
        long newEpoch = EPOCH + 1000;

        log.hub.skip(new EventId(newEpoch, 0)); // the log lost its data and starts over
        log.deliver(newEpoch, 1, "a", "new");

        assertEquals(List.of("id: " + EPOCH + "-1\n\n", "id: " + newEpoch + "-0\nevent: missed\n"
                + "data: {\"lastEventId\":\"" + EPOCH + "-1\",\"reason\":\"unknown\"}\n\n",
                "id: " + newEpoch + "-1\ndata: new\n\n"), live.frames);
        TextSink old = new TextSink();
        hub.subscribe(List.of("a"), EPOCH + "-1", old);
        assertEquals(List.of("id: " + newEpoch + "-1\nevent: missed\n"
                + "data: {\"lastEventId\":\"" + EPOCH + "-1\",\"reason\":\"unknown\"}\n\n"), old.frames);
        TextSink fromTheStart = new TextSink();
        hub.subscribe(List.of("a"), newEpoch + "-0", fromTheStart);
        assertEquals(List.of("id: " + newEpoch + "-1\ndata: new\n\n"), fromTheStart.frames);
    }

    @Test
    void aClientWithAnIdThisNodeHasNotReceivedYetWaitsForItInsteadOfBeingToldUnknown() throws Exception {
        FedLog log = new FedLog();
        log.catchUpMillis = 5000;
        Hub hub = new Hub(ReplayLimits.perTopic(100), log, () -> 0L).start();
        log.deliver(EPOCH, 1, "a", "one");
        TextSink movedHere = new TextSink();
        Thread subscriber = new Thread(() -> hub.subscribe(List.of("a"), EPOCH + "-3", movedHere));
        subscriber.start();
        awaitState(subscriber, Thread.State.TIMED_WAITING);

        log.deliver(EPOCH, 2, "a", "two");
        log.deliver(EPOCH, 3, "a", "three");
        subscriber.join(5000);
        log.deliver(EPOCH, 4, "a", "four");

        assertEquals(List.of("id: " + EPOCH + "-4\ndata: four\n\n"), movedHere.frames);
    }

    @Test
    void aPublishRetriedWithItsIdempotencyKeyGetsTheFirstIdAndPublishesNothing() {
        AtomicLong now = new AtomicLong();
        Hub hub = hub(ReplayLimits.perTopic(100), now::get);
        TextSink sink = new TextSink();
        hub.subscribe(List.of("a"), null, sink);

        EventId first = hub.publish("a", null, "once", "key-1");
        for (int i = 0; i < 20; i++) {
            assertEquals(first, hub.publish("a", null, "once", "key-1"));
        }
        EventId other = hub.publish("a", null, "twice", "key-2");
        now.set(IdempotencyKeys.TTL_MILLIS + 1);
        EventId afterExpiry = hub.publish("a", null, "once", "key-1");

        assertEquals(List.of(first, other, afterExpiry), sink.frames.stream()
                .map(frame -> EventId.parse(frame.substring(4, frame.indexOf('\n')))).toList());
    }

    private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != state) {
            assertTrue(System.nanoTime() < deadline, "thread never reached " + state);
            Thread.sleep(5);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLabelledSubscriberGetsEachEventsTopicInALineOfItsOwnLiveAndReplayed() {
        Hub hub = hub(100);
        hub.publish("a", null, "one");
        hub.publish("b", "chat", "two");
        TextSink labelled = new TextSink();
        TextSink plain = new TextSink();
        hub.subscribe(List.of("a", "b"), EPOCH + "-0", labelled, true);
        hub.subscribe(List.of("a"), null, plain);

        hub.publish("a", null, "three");

        assertEquals(List.of("id: " + EPOCH + "-1\ntopic: a\ndata: one\n\n",
                "id: " + EPOCH + "-2\ntopic: b\nevent: chat\ndata: two\n\n",
                "id: " + EPOCH + "-3\ntopic: a\ndata: three\n\n"), labelled.frames);
        assertEquals(List.of("id: " + EPOCH + "-2\n\n", "id: " + EPOCH + "-3\ndata: three\n\n"), plain.frames,
                "others' bytes unchanged");
        assertEquals(2, hub.subscribedTopicCount());
        hub.unsubscribe(labelled);
        assertEquals(1, hub.subscribedTopicCount());
    }

    @Test
    void aSinkThatRefusesIsDroppedAndTheOthersCarryOn() {
        Hub hub = hub(10);
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
        Hub hub = hub(10);
        TextSink sink = new TextSink();
        hub.subscribe(List.of("a"), null, sink);

        hub.shutdown(() -> "retry: 3000\n\n".getBytes(StandardCharsets.UTF_8));

        assertEquals("retry: 3000\n\n", sink.farewell);
        assertEquals(0, hub.subscriberCount());
        assertThrows(IllegalStateException.class, () -> hub.publish("a", null, "late"));
    }

    @Test
    void theBusiestTopicsAreThoseWithTheMostSubscribersMostFirstTiesByName() {
        Hub hub = hub(10);
        List<TextSink> sinks = new ArrayList<>();
        for (List<String> topics : List.of(List.of("a", "b", "c"), List.of("b", "c"), List.of("c", "d"),
                List.of("b"), List.of("e"))) {
            TextSink sink = new TextSink();
            sinks.add(sink);
            hub.subscribe(topics, null, sink);
        }

        assertEquals(List.of(new Hub.TopicSubscribers("b", 3), new Hub.TopicSubscribers("c", 3),
                new Hub.TopicSubscribers("a", 1)), hub.busiestTopics(3));
        hub.unsubscribe(sinks.get(3));
        assertEquals(List.of(new Hub.TopicSubscribers("c", 3), new Hub.TopicSubscribers("b", 2),
                new Hub.TopicSubscribers("a", 1), new Hub.TopicSubscribers("d", 1), new Hub.TopicSubscribers("e", 1)),
                hub.busiestTopics(10));
        assertEquals(List.of(), hub(10).busiestTopics(10));
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
