package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.testkit.Http;
import dev.ssehub.testkit.PublishClient;
import dev.ssehub.testkit.RecordingListener.Retry;
import dev.ssehub.testkit.SseConnection;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the hub keeps is bounded, and no event can poison a topic: the subscriber registry, the replay logs' bytes
 * and age, and the size of an event on the wire. Against embedded Jetty 12 and embedded Tomcat 11.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "tomcat"})
class RetentionContractTest extends ContainerTest {

    private static final String TOKEN = "retention-token";

    @Test
    void topicsOfClosedStreamsLeaveNothingBehind() throws Exception {
        // Frequent heartbeats, so that the server finds the closed connections soon: their writes fail.
        start(Map.of("ssehub.tickInterval", "0", "ssehub.heartbeatInterval", "200"));
        Random random = new Random(11);
        List<SseConnection> streams = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String query = random.ints(16, 0, Integer.MAX_VALUE)
                    .mapToObj(n -> "topic=" + "t" + n + "x".repeat(50)).collect(Collectors.joining("&"));
            streams.add(open("stream?" + query));
        }
        awaitSubscribers(20);
        assertEquals(320, hub().subscribedTopicCount());

        streams.forEach(SseConnection::close);

        awaitUntil(() -> hub().subscriberCount() == 0 && hub().subscribedTopicCount() == 0,
                "no subscriber and no topic left (topics: " + hub().subscribedTopicCount() + ")");
        assertEquals(0, hub().retainedTopicCount(), "nothing was published, so nothing is kept");
    }

    @Test
    void anEventTooLargeOnTheWireIsRefusedWith413AndDisturbsNobody() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.publishToken", TOKEN));
        SseConnection reader = open("stream?topic=t");
        awaitSubscribers(1);

        // 60,000 raw newlines fit the 64 KiB body limit, but are 60,001 "data: " lines on the wire.
        byte[] body = ("topic=t&data=" + "\n".repeat(60_000)).getBytes(StandardCharsets.US_ASCII);
        Http.Reply refused = Http.send("POST", container.uri("publish"), Map.of("Authorization", "Bearer " + TOKEN),
                body, "application/x-www-form-urlencoded");

        assertEquals(413, refused.status());
        assertEquals("the event is 420052 bytes on the wire, more than 65536 (ssehub.maxEventBytes): "
                + "send less data or fewer lines\n", refused.body());
        assertNull(hub().lastId(), "nothing was published");
        String id = PublishClient.publish(container.baseUri(), TOKEN, "t", null, "fine");
        assertEquals(new SseEvent(id, null, "fine", null, null), reader.events().awaitEvent(TIMEOUT));
        assertEquals(1, hub().subscriberCount(), "the reader was not dropped");
    }

    @Test
    void aReconnectingClientGetsAtLeastOneEventEachTimeWhateverItMissed() throws Exception {
        // A queue of 8 KiB takes two of the largest events; each reconnect replays at most half a queue.
        start(Map.of("ssehub.tickInterval", "0", "ssehub.maxEventBytes", "4096", "ssehub.maxQueueBytes", "8192"));
        EventId before = hub().publish("big", null, "start");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expected.add(hub().publish(i % 2 == 0 ? "big" : "clock", null, i + "x".repeat(3000)).toString());
        }

        List<String> received = new ArrayList<>();
        String lastId = before.toString();
        for (int reconnects = 0; received.size() < expected.size(); reconnects++) {
            assertTrue(reconnects < expected.size(), "a reconnect made no progress: " + received);
            SseConnection stream = open("stream?topic=big&topic=clock", Map.of("Last-Event-ID", lastId));
            SseEvent event = stream.events().awaitEvent(TIMEOUT); // a page holds one of these events
            received.add(event.id());
            lastId = event.id();
            if (received.size() < expected.size()) {
                stream.awaitEnd(TIMEOUT); // a page break: the client comes back from its last id
                assertEquals(List.of(new Retry(3000), event, new Retry(100)), stream.events().drain());
            }
        }
        assertEquals(expected, received);
    }

    @Test
    void replayLogsKeepNoMoreThanTheirByteBudgetOldestEventsFirst() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.replayBytes", "65536"));
        EventId first = null;
        for (int i = 0; i < 5000; i++) {
            EventId id = hub().publish("topic-" + i, null, "x".repeat(100));
            first = first == null ? id : first;
        }
        assertTrue(hub().retainedBytes() <= 65536, "retained " + hub().retainedBytes());
        assertTrue(hub().retainedTopicCount() < 500, "topics kept: " + hub().retainedTopicCount());

        EventId head = hub().lastId();
        SseConnection evicted = open("stream?topic=topic-1", Map.of("Last-Event-ID", first.toString()));
        assertEquals(new SseEvent(head.toString(), "missed",
                "{\"lastEventId\":\"" + first + "\",\"reason\":\"too-old\"}", null, null),
                evicted.events().awaitEvent(TIMEOUT));
        SseConnection recent = open("stream?topic=topic-4999", Map.of("Last-Event-ID",
                new EventId(head.epoch(), head.sequence() - 1).toString()));
        assertEquals(head.toString(), recent.events().awaitEvent(TIMEOUT).id());
    }

    @Test
    void aTopicPublishedNothingForTheExpiryTimeForgetsItsReplayLog() throws Exception {
        start(Map.of("ssehub.tickInterval", "0", "ssehub.topicExpiry", "1000"));
        hub().publish("quiet", null, "once");
        assertEquals(1, hub().retainedTopicCount());

        awaitUntil(() -> hub().retainedTopicCount() == 0 && hub().retainedBytes() == 0, "the idle topic expired");
        SseConnection late = open("stream?topic=quiet", Map.of("Last-Event-ID", hub().lastId().epoch() + "-0"));
        assertEquals("missed", late.events().awaitEvent(TIMEOUT).type());
    }
}
