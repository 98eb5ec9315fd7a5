package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.Hub;
import dev.ssehub.testkit.Http;
import dev.ssehub.testkit.RawConnection;
import dev.ssehub.testkit.RecordingListener;
import dev.ssehub.testkit.ServletContainer;
import dev.ssehub.testkit.SseConnection;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client-visible contract of GET /stream, against embedded Jetty 12 and embedded Tomcat 11 alike. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "tomcat"})
class StreamContractTest extends ContainerTest {

    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    // The ticker off, so that tests publish exactly the events they assert.
    private static final Map<String, String> QUIET = Map.of("ssehub.tickInterval", "0");

    @Test
    void headersAreSentAtOnceAndTheStreamStartsWithARetryHint() throws Exception {
        start(QUIET);
        SseConnection stream = open("stream");

        assertEquals(200, stream.status());
        assertEquals("text/event-stream;charset=utf-8", stream.header("Content-Type").toLowerCase().replace(" ", ""));
        assertEquals("no-cache, no-transform", stream.header("Cache-Control"));
        assertEquals("no", stream.header("X-Accel-Buffering"));
        assertFalse("close".equalsIgnoreCase(stream.header("Connection")), "illegal over HTTP/2, and ends the stream");
        assertNull(stream.header("Content-Encoding"), "a compressed stream is held back by the compressor");
        awaitUntil(() -> stream.events().retries().equals(List.of(3000L)), "the retry hint");
        stream.events().assertNoneYet();
    }

    @Test
    void tickerSendsTheServerTimeOnceASecondWithIncreasingIds() throws Exception {
        start(Map.of());
        SseConnection stream = open("stream");

        List<SseEvent> ticks = stream.events().awaitEvents(3, Duration.ofSeconds(6));
        EventId first = EventId.parse(ticks.get(0).id());
        for (int i = 0; i < ticks.size(); i++) {
            SseEvent tick = ticks.get(i);
            assertTrue(TIME.matcher(tick.data()).matches(), tick.data());
            assertNull(tick.type(), "ticks are plain messages, as in the original example");
            assertEquals(new EventId(first.epoch(), first.sequence() + i), EventId.parse(tick.id()));
        }
        LocalDateTime firstTime = LocalDateTime.parse(ticks.get(0).data(), Ticker.FORMAT);
        LocalDateTime lastTime = LocalDateTime.parse(ticks.get(2).data(), Ticker.FORMAT);
        assertEquals(2, Duration.between(firstTime, lastTime).toSeconds(), "one tick a second");
    }

    @Test
    void badTopicIsRefusedWith400AndAReason() throws Exception {
        start(QUIET);
        try (SseConnection stream = open("stream?topic=ok&topic=no%0Away")) {
            assertEquals(400, stream.status());
        }
        String tooMany = "stream?" + "topic=t&".repeat(17);
        try (SseConnection stream = open(tooMany)) {
            assertEquals(400, stream.status());
        }
        assertEquals("invalid topic name 'no\\x0away': 1 to 64 characters of A-Z a-z 0-9 _ . -\n",
                Http.get(container.uri("stream?topic=no%0Away")).body());
        assertEquals("at most 16 topics per stream, got 17\n", Http.get(container.uri(tooMany)).body());
    }

    @Test
    void reconnectWithLastEventIdReplaysExactlyTheMissedEventsThenGoesLive() throws Exception {
        start(QUIET);
        List<EventId> ids = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ids.add(hub().publish("clock", null, "event " + i));
        }

        SseConnection byHeader = open("stream", Map.of("Last-Event-ID", ids.get(3).toString()));
        SseConnection byQuery = open("stream?lastEventId=" + ids.get(7));
        awaitSubscribers(2);
        EventId live = hub().publish("clock", "live", "after");

        assertEquals(eventsFrom(5, 10, ids), byHeader.events().awaitEvents(6, TIMEOUT));
        assertEquals(eventsFrom(9, 10, ids), byQuery.events().awaitEvents(2, TIMEOUT));
        SseEvent liveEvent = new SseEvent(live.toString(), "live", "after", null, null);
        assertEquals(liveEvent, byHeader.events().awaitEvent(TIMEOUT));
        assertEquals(liveEvent, byQuery.events().awaitEvent(TIMEOUT));
        byHeader.events().assertNoMore(Duration.ofMillis(300));
    }

    @Test
    void replaySeamHasNoGapAndNoDuplicateUnderAFastPublisher() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.replaySize", "100000",
                "ssehub.maxQueueBytes", String.valueOf(64 << 20)));
        EventId start = hub().publish("clock", null, "first");
        AtomicBoolean reconnected = new AtomicBoolean();
        List<EventId> published = new ArrayList<>();
        // Runs until every reconnect is in and 5,000 more events followed, staying inside the replay log.
        Thread publisher = new Thread(() -> {
            int afterReconnects = 0;
            while (published.size() < 90_000 && afterReconnects < 5000) {
                published.add(hub().publish("clock", null, "fast"));
                afterReconnects += reconnected.get() ? 1 : 0;
                if (published.size() % 20 == 0) {
                    LockSupport.parkNanos(1_000_000); // about 20,000 events a second, so the log outlasts the test
                }
            }
        });
        publisher.start();
        List<SseConnection> reconnects = new ArrayList<>();
        List<EventId> headAtReconnect = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            reconnects.add(open("stream", Map.of("Last-Event-ID", start.toString())));
            headAtReconnect.add(hub().lastId());
        }
        reconnected.set(true);
        publisher.join();
        EventId last = published.get(published.size() - 1);

        for (SseConnection stream : reconnects) {
            long expected = start.sequence() + 1;
            while (expected <= last.sequence()) {
                SseEvent event = stream.events().awaitEvent(TIMEOUT);
                assertEquals(new EventId(start.epoch(), expected), EventId.parse(event.id()), "gap or duplicate");
                expected++;
            }
            stream.events().assertNoMore(Duration.ofMillis(100));
        }
        for (EventId head : headAtReconnect) {
            assertTrue(head.sequence() > start.sequence() && head.sequence() < last.sequence(),
                    "each reconnect replayed while events kept coming: " + head + " in " + start + ".." + last);
        }
    }

    @Test
    void withTopicEveryEventNamesItsTopicInALineEventSourceIgnores() throws Exception {
        start(QUIET);
        try (Socket socket = new Socket(container.baseUri().getHost(), container.baseUri().getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(("GET " + container.baseUri().getPath() + "stream?topic=a&topic=b&withTopic=1"
                    + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            SseConnection plain = open("stream?topic=a");
            awaitSubscribers(2);
            EventId id = hub().publish("a", "chat", "hello");

            String expected = "id: " + id + "\ntopic: a\nevent: chat\ndata: hello\n\n";
            StringBuilder received = new StringBuilder();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (received.indexOf(expected) < 0) {
                int n = in.read(buffer);
                assertTrue(n > 0, "the stream ended before the event; got: " + received);
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            assertEquals(new SseEvent(id.toString(), "chat", "hello", null, null), plain.events().awaitEvent(TIMEOUT));
        }
        assertEquals("withTopic must be 1, true, 0 or false, not 'yes'\n",
                Http.get(container.uri("stream?withTopic=yes")).body());
    }

    @Test
    void lastEventIdTooOldUnknownOrMalformedGetsOneMissedEventThenTheLiveStream() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.replaySize", "5"));
        List<EventId> ids = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            ids.add(hub().publish("clock", null, "event " + i));
        }
        String head = ids.get(19).toString();
        String otherRun = "1-3";
        String future = new EventId(ids.get(0).epoch(), 999).toString();
        Map<String, String> reasons = Map.of(
                ids.get(2).toString(), "too-old", otherRun, "unknown", future, "unknown", "abc", "malformed",
                "1-2-3", "malformed", "-5", "malformed");
        List<SseConnection> streams = new ArrayList<>();
        for (String lastEventId : reasons.keySet()) {
            streams.add(open("stream", Map.of("Last-Event-ID", lastEventId)));
        }
        awaitSubscribers(reasons.size());
        EventId live = hub().publish("clock", null, "live");

        int i = 0;
        for (String lastEventId : reasons.keySet()) {
            RecordingListener events = streams.get(i++).events();
            String data = "{\"lastEventId\":\"" + lastEventId + "\",\"reason\":\"" + reasons.get(lastEventId) + "\"}";
            assertEquals(new SseEvent(head, "missed", data, null, null), events.awaitEvent(TIMEOUT));
            assertEquals(new SseEvent(live.toString(), null, "live", null, null), events.awaitEvent(TIMEOUT));
        }
        // The oldest id still in the log (16th of 20, with 5 kept) is served exactly.
        SseConnection covered = open("stream", Map.of("Last-Event-ID", ids.get(15).toString()));
        List<SseEvent> replayed = covered.events().awaitEvents(5, TIMEOUT);
        assertEquals(List.of("event 17", "event 18", "event 19", "event 20", "live"),
                replayed.stream().map(SseEvent::data).toList());
    }

    @Test
    void aReaderThatNeverReadsIsDroppedWhileTheOthersGetEveryEvent() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.maxQueueBytes", String.valueOf(64 * 1024),
                "ssehub.maxEventBytes", String.valueOf(32 * 1024)));
        List<SseConnection> readers = List.of(open("stream"), open("stream"), open("stream"));
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096); // before connecting, so the TCP window stays small
            stalled.connect(new InetSocketAddress(container.baseUri().getHost(), container.baseUri().getPort()));
            OutputStream request = stalled.getOutputStream();
            request.write(("GET " + container.baseUri().getPath() + "stream HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            awaitSubscribers(4);

            // Each event reaches every reader before the next is published: the readers keep up, the stalled
            // socket does not, and 640 x 16 KiB is more than its kernel buffers and its 64 KiB queue hold.
            String chunk = "x".repeat(16 * 1024);
            for (int i = 0; i < 640 && hub().subscriberCount() == 4; i++) {
                EventId id = hub().publish("clock", null, chunk);
                for (SseConnection reader : readers) {
                    assertEquals(id.toString(), reader.events().awaitEvent(TIMEOUT).id());
                }
            }
            awaitSubscribers(3);
            EventId after = hub().publish("clock", null, "after the stalled reader left");
            for (SseConnection reader : readers) {
                assertEquals(after.toString(), reader.events().awaitEvent(TIMEOUT).id());
            }
            assertEquals(3, hub().subscriberCount());
            InputStream unread = stalled.getInputStream();
            assertTrue(unread.available() >= 0); // the stalled socket was held open, unread, until here
        }
    }

    @Test
    void clientsThatGoAwayLeaveTheRegistryWithinAHeartbeat() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.heartbeatInterval", "200"));
        List<SseConnection> streams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            streams.add(open("stream"));
        }
        awaitSubscribers(50);
        awaitUntil(() -> !streams.get(0).events().comments().isEmpty(), "a heartbeat comment");

        streams.forEach(SseConnection::close);

        awaitSubscribers(0);
    }

    @Test
    void onlyStreamsThatWereSentNothingGetHeartbeats() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.heartbeatInterval", "400"));
        SseConnection busy = open("stream?topic=busy");
        SseConnection idle = open("stream?topic=quiet");
        awaitSubscribers(2);
        AtomicBoolean done = new AtomicBoolean();
        Thread publisher = new Thread(() -> {
            while (!done.get()) {
                hub().publish("busy", null, "x");
                LockSupport.parkNanos(20_000_000); // far more often than the 200 ms heartbeat rounds
            }
        });
        publisher.start();
        try {
            awaitUntil(() -> idle.events().comments().size() >= 4, "four heartbeats on the idle stream");
        } finally {
            done.set(true);
            publisher.join();
        }

        busy.events().awaitEvents(20, TIMEOUT); // it was sent events all along
        // One round may find it silent if this machine stalls the publisher for a whole round.
        assertTrue(busy.events().comments().size() <= 1, "heartbeats on a busy stream: " + busy.events().comments());
    }

    @Test
    void undeployEndsEveryStreamWithARetryHintAndLeavesNoThreadBehind() throws Exception {
        start(Map.of("ssehub.retry", "2500", "ssehub.drainTime", "0")); // no spread: the hint is exactly `retry`
        SseConnection stream = open("stream");
        stream.events().awaitEvent(Duration.ofSeconds(3));
        assertTrue(ssehubThreads() > 0, "the webapp runs its own threads");

        container.stopWebapp();

        stream.awaitEnd(TIMEOUT);
        List<Long> retries = stream.events().retries();
        assertEquals(List.of(2500L, 2500L), retries, "the opening hint and the farewell");
        awaitUntil(() -> ssehubThreads() == 0, "every ssehub thread to end");
    }

    @Test
    void beyondMaxStreamsBrowsersAreToldToComeBackLaterAndOthersGet503() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.maxStreams", "2", "ssehub.overloadRetry", "5000",
                "ssehub.heartbeatInterval", "200"));
        SseConnection first = open("stream");
        open("stream?topic=a");
        awaitSubscribers(2);

        SseConnection turnedAway = open("stream");
        assertEquals(200, turnedAway.status(), "an EventSource gives up for good on anything else");
        assertEquals("text/event-stream;charset=utf-8",
                turnedAway.header("Content-Type").toLowerCase().replace(" ", ""));
        turnedAway.awaitEnd(TIMEOUT);
        List<Long> retries = turnedAway.events().retries();
        assertEquals(1, retries.size());
        assertTrue(retries.get(0) >= 5000 && retries.get(0) <= 10_000, "jittered retry: " + retries);
        turnedAway.events().assertNoneYet();

        Http.Reply plain = Http.get(container.uri("stream"));
        assertEquals(503, plain.status());
        assertEquals("too many streams: try again later (ssehub.maxStreams)\n", plain.body());
        long retryAfter = Long.parseLong(plain.header("Retry-After"));
        assertTrue(retryAfter >= 5 && retryAfter <= 10, "Retry-After " + retryAfter);
        assertEquals(2, hub().subscriberCount());

        first.close();
        awaitSubscribers(1);
        awaitUntil(() -> runtime().admission().openStreams() == 1, "a free place");
        SseConnection admitted = open("stream");
        assertEquals(200, admitted.status());
        awaitUntil(() -> admitted.events().retries().equals(List.of(3000L)), "the admitted stream's retry hint");
        awaitSubscribers(2);
        EventId id = hub().publish("clock", null, "welcome");
        assertEquals(id.toString(), admitted.events().awaitEvent(TIMEOUT).id());
    }

    @Test
    void headAnswersTheHeadersOfGetAtOnceAndTakesNoStream() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.maxStreams", "3"));
        String path = container.baseUri().getPath();
        for (int i = 0; i < 5; i++) { // more than maxStreams: none of them may keep a place
            try (RawConnection connection = RawConnection.open(container.baseUri(), TIMEOUT)) {
                // A keep-alive connection: the GET pipelined after the HEAD must be answered too.
                connection.send("HEAD " + path + "stream HTTP/1.1\r\nHost: localhost\r\n"
                        + "Accept: text/event-stream\r\n\r\n"
                        + "GET " + path + "stream?topic=no%2Fway HTTP/1.1\r\nHost: localhost\r\n\r\n");
                Http.Reply head = connection.readReply(true);
                assertEquals(200, head.status());
                assertEquals("text/event-stream;charset=utf-8",
                        head.header("Content-Type").toLowerCase().replace(" ", ""));
                assertEquals("no-cache, no-transform", head.header("Cache-Control"));
                assertEquals("no", head.header("X-Accel-Buffering"));
                Http.Reply pipelined = connection.readReply(false);
                assertEquals(400, pipelined.status());
                assertEquals("invalid topic name 'no/way': 1 to 64 characters of A-Z a-z 0-9 _ . -\n",
                        pipelined.body());
            }
            try (RawConnection connection = RawConnection.open(container.baseUri(), TIMEOUT)) {
                connection.send("HEAD " + path + "stream?topic=no%2Fway HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertEquals(400, connection.readReply(true).status());
            }
        }
        assertEquals(0, runtime().admission().openStreams());
        assertEquals(0, hub().subscriberCount());

        SseConnection stream = open("stream");
        assertEquals(200, stream.status());
        awaitUntil(() -> stream.events().retries().equals(List.of(3000L)), "the retry hint");
        assertEquals(1, runtime().admission().openStreams());
    }

    @Test
    void anEmptyLastEventIdIsNoIdAndTheStreamStartsLive() throws Exception {
        start(QUIET);
        hub().publish("clock", null, "before");
        SseConnection byHeader = open("stream", Map.of("Last-Event-ID", ""));
        SseConnection byQuery = open("stream?lastEventId=");
        awaitSubscribers(2);

        EventId live = hub().publish("clock", null, "live");

        for (SseConnection stream : List.of(byHeader, byQuery)) {
            assertEquals(new SseEvent(live.toString(), null, "live", null, null), stream.events().awaitEvent(TIMEOUT));
            stream.events().assertNoMore(Duration.ofMillis(200));
        }
    }

    private static List<SseEvent> eventsFrom(int first, int last, List<EventId> ids) {
        List<SseEvent> events = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            events.add(new SseEvent(ids.get(i - 1).toString(), null, "event " + i, null, null));
        }
        return events;
    }

    private static long ssehubThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("ssehub-") && thread.isAlive())
                .count();
    }

}
