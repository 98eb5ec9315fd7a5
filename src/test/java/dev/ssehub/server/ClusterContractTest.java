package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.Hub;
import dev.ssehub.testkit.Await;
import dev.ssehub.testkit.Http;
import dev.ssehub.testkit.RedisServer;
import dev.ssehub.testkit.ServletContainer;
import dev.ssehub.testkit.SseConnection;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several nodes on one Redis (cluster mode): embedded Jetty and embedded Tomcat nodes share the event log of a real
 * redis-server started on a free port; clients talk real HTTP to whichever node.
 */
class ClusterContractTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String TOKEN = "cluster-token";
    private static final Pattern ID_REPLY = Pattern.compile("\\{\"id\":\"(\\d+-\\d+)\",\"topic\":\"([^\"]+)\"}\n");

    private RedisServer redis;
    private final List<ServletContainer> nodes = new ArrayList<>();
    private final List<SseConnection> streams = new ArrayList<>();
    private final String prefix = "test" + System.nanoTime();

    @AfterEach
    void stopAll() throws Exception {
        streams.forEach(SseConnection::close);
        for (ServletContainer node : nodes) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void publishersOnBothNodesAndEverySubscriberGetsTheSameIdSequenceForItsTopics() throws Exception {
        startRedis(false);
        ServletContainer jetty = node("jetty", Map.of());
        ServletContainer tomcat = node("tomcat", Map.of());
        Map<SseConnection, Set<String>> subscribers = new HashMap<>();
        subscribers.put(open(jetty, "stream?topic=a"), Set.of("a"));
        subscribers.put(open(jetty, "stream?topic=a&topic=b"), Set.of("a", "b"));
        subscribers.put(open(tomcat, "stream?topic=b"), Set.of("b"));
        subscribers.put(open(tomcat, "stream?topic=a&topic=b"), Set.of("a", "b"));
        subscribers.put(open(tomcat, "stream?topic=c"), Set.of("c"));
        awaitSubscribers(jetty, 2);
        awaitSubscribers(tomcat, 3);

        Map<String, List<EventId>> published = new ConcurrentHashMap<>();
        ExecutorService publishers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            ServletContainer node = p % 2 == 0 ? jetty : tomcat;
            int publisher = p;
            done.add(publishers.submit(() -> {
                for (int i = 0; i < 2500; i++) {
                    String topic = List.of("a", "b", "c").get((i + publisher) % 3);
                    EventId id = publish(node, topic, "p" + publisher + " #" + i, null);
                    published.computeIfAbsent(topic, t -> Collections.synchronizedList(new ArrayList<>())).add(id);
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        publishers.shutdown();

        for (Map.Entry<SseConnection, Set<String>> subscriber : subscribers.entrySet()) {
            List<EventId> expected = subscriber.getValue().stream().flatMap(topic -> published.get(topic).stream())
                    .sorted(Comparator.comparingLong(EventId::sequence)).toList();
            List<EventId> received = subscriber.getKey().events().awaitEvents(expected.size(), TIMEOUT).stream()
                    .map(event -> EventId.parse(event.id())).toList();
            assertEquals(expected, received, "topics " + subscriber.getValue());
            subscriber.getKey().events().assertNoMore(Duration.ofMillis(100));
        }
    }

    @Test
    void aClientThatMovesToAnotherNodeOrANewNodeGetsExactlyWhatItMissed() throws Exception {
        startRedis(false);
        ServletContainer jetty = node("jetty", Map.of());
        ServletContainer tomcat = node("tomcat", Map.of());
        SseConnection reader = open(jetty, "stream?topic=news");
        awaitSubscribers(jetty, 1);
        for (int i = 1; i <= 100; i++) {
            publish(jetty, "news", "news " + i, null);
        }
        List<SseEvent> first = reader.events().awaitEvents(100, TIMEOUT);
        reader.close();
        List<SseEvent> missed = new ArrayList<>();
        for (int i = 101; i <= 150; i++) {
            EventId id = publish(tomcat, "news", "news " + i, null);
            missed.add(new SseEvent(id.toString(), null, "news " + i, null, null));
        }
        String lastSeen = first.get(99).id();

        SseConnection movedToTomcat = open(tomcat, "stream?topic=news", Map.of("Last-Event-ID", lastSeen));
        assertEquals(missed, movedToTomcat.events().awaitEvents(50, TIMEOUT));
        ServletContainer late = node("jetty", Map.of()); // started after every one of those events
        SseConnection onTheNewNode = open(late, "stream?topic=news", Map.of("Last-Event-ID", lastSeen));
        assertEquals(missed, onTheNewNode.events().awaitEvents(50, TIMEOUT));

        EventId live = publish(late, "news", "live", null);
        SseEvent liveEvent = new SseEvent(live.toString(), null, "live", null, null);
        assertEquals(liveEvent, movedToTomcat.events().awaitEvent(TIMEOUT));
        assertEquals(liveEvent, onTheNewNode.events().awaitEvent(TIMEOUT));
        onTheNewNode.events().assertNoMore(Duration.ofMillis(200));
    }

    @Test
    void whenTheReadersLoseTheirRedisConnectionsTheirSubscribersMissNothingAndGetNothingTwice() throws Exception {
        startRedis(false);
        ServletContainer jetty = node("jetty", Map.of());
        ServletContainer tomcat = node("tomcat", Map.of());
        SseConnection onJetty = open(jetty, "stream?topic=flow");
        SseConnection onTomcat = open(tomcat, "stream?topic=flow");
        awaitSubscribers(jetty, 1);
        awaitSubscribers(tomcat, 1);

        List<EventId> published = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            if (i % 400 == 200) {
                try (Jedis admin = redis.connect()) {
                    admin.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "normal", "SKIPME", "yes");
                }
            }
            // A publish that met a killed connection answers 503; its retry with the same key publishes it once.
            published.add(publishRetrying(tomcat, "flow", "event " + i, "key-" + i));
            if (i % 10 == 0) {
                Thread.sleep(10); // about 1,000 events a second
            }
        }

        for (SseConnection subscriber : List.of(onJetty, onTomcat)) {
            List<EventId> received = subscriber.events().awaitEvents(published.size(), TIMEOUT).stream()
                    .map(event -> EventId.parse(event.id())).toList();
            assertEquals(published, received);
            subscriber.events().assertNoMore(Duration.ofMillis(200));
        }
    }

    @Test
    void redisRestartedWithItsDataContinuesTheIdsAndRestartedEmptyMakesOldIdsUnknown() throws Exception {
        startRedis(true);
        ServletContainer jetty = node("jetty", Map.of());
        SseConnection stream = open(jetty, "stream?topic=t");
        awaitSubscribers(jetty, 1);
        EventId before = publish(jetty, "t", "before", null);
        assertEquals(before.toString(), stream.events().awaitEvent(TIMEOUT).id());

        redis.kill();
        redis.startAgain(); // with its append-only file: nothing was lost
        EventId after = publishRetrying(jetty, "t", "after", "after-restart");
        assertEquals(new EventId(before.epoch(), before.sequence() + 1), after);
        assertEquals(after.toString(), stream.events().awaitEvent(TIMEOUT).id());

        try (Jedis admin = redis.connect()) {
            admin.flushAll(); // as if Redis came back without its data
        }
        EventId fresh = publishRetrying(jetty, "t", "fresh", null);
        assertNotEquals(before.epoch(), fresh.epoch(), "a new epoch");
        assertEquals(1, fresh.sequence());
        SseEvent notice = stream.events().awaitEvent(TIMEOUT);
        assertEquals("missed", notice.type());
        assertEquals("{\"lastEventId\":\"" + after + "\",\"reason\":\"unknown\"}", notice.data());
        assertEquals(fresh.toString(), stream.events().awaitEvent(TIMEOUT).id());

        SseConnection old = open(jetty, "stream?topic=t", Map.of("Last-Event-ID", after.toString()));
        assertEquals(new SseEvent(fresh.toString(), "missed",
                "{\"lastEventId\":\"" + after + "\",\"reason\":\"unknown\"}", null, null),
                old.events().awaitEvent(TIMEOUT));
    }

    @Test
    void aLogThatWentBackInTimeStartsANewEpochSoNoIdIsGivenTwice() throws Exception {
        startRedis(false);
        ServletContainer jetty = node("jetty", Map.of());
        SseConnection stream = open(jetty, "stream?topic=t");
        awaitSubscribers(jetty, 1);
        List<EventId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(publish(jetty, "t", "event " + i, null));
        }
        assertEquals(ids.get(4).toString(), stream.events().awaitEvents(5, TIMEOUT).get(4).id());

        // As after a failover to a replica that missed the last two events: the log and its counter are behind.
        try (Jedis admin = redis.connect()) {
            admin.xdel("{" + prefix + "}:log", new redis.clients.jedis.StreamEntryID(4, 0),
                    new redis.clients.jedis.StreamEntryID(5, 0));
            admin.set("{" + prefix + "}:sequence", "3");
        }
        long oldEpoch = ids.get(0).epoch();
        awaitUntil(() -> hub(jetty).epoch() != oldEpoch, "a new epoch");
        EventId fresh = publish(jetty, "t", "after the failover", null);

        assertEquals(1, fresh.sequence());
        assertEquals(new SseEvent(new EventId(fresh.epoch(), 0).toString(), "missed",
                "{\"lastEventId\":\"" + ids.get(4) + "\",\"reason\":\"unknown\"}", null, null),
                stream.events().awaitEvent(TIMEOUT));
        assertEquals(fresh.toString(), stream.events().awaitEvent(TIMEOUT).id());
    }

    @Test
    void withRedisDownPublishingAnswers503AtOnceStreamsStayOpenAndItAllRecovers() throws Exception {
        startRedis(true);
        ServletContainer jetty = node("jetty", Map.of("ssehub.heartbeatInterval", "400"));
        SseConnection stream = open(jetty, "stream?topic=t");
        awaitSubscribers(jetty, 1);

        redis.kill();
        long started = System.nanoTime();
        Http.Reply refused = post(jetty, "t", "while down", null);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(503, refused.status());
        assertEquals("1", refused.header("Retry-After"));
        assertEquals("the shared event log (Redis) is unreachable: nothing was published, try again\n", refused.body());
        assertTrue(tookMillis < 2500, "answered in " + tookMillis + " ms");
        int heartbeats = stream.events().comments().size();
        awaitUntil(() -> stream.events().comments().size() >= heartbeats + 2, "heartbeats while Redis is down");
        assertFalse(stream.hasEnded());

        redis.startAgain();
        EventId back = publishRetrying(jetty, "t", "back", "back");
        assertEquals(back.toString(), stream.events().awaitEvent(TIMEOUT).id());
    }

    @Test
    void historyTrimmedInRedisIsMissedTooOldOnANodeThatNeverSawIt() throws Exception {
        startRedis(false);
        ServletContainer jetty = node("jetty", Map.of("ssehub.redisHistory", "1000"));
        EventId first = null;
        for (int i = 0; i < 3000; i++) {
            EventId id = hub(jetty).publish("t", null, "event " + i);
            first = first == null ? id : first;
        }
        ServletContainer late = node("tomcat", Map.of("ssehub.redisHistory", "1000"));
        SseConnection stream = open(late, "stream?topic=t", Map.of("Last-Event-ID", first.toString()));
        SseEvent notice = stream.events().awaitEvent(TIMEOUT);
        assertEquals("missed", notice.type());
        assertEquals("{\"lastEventId\":\"" + first + "\",\"reason\":\"too-old\"}", notice.data());
        try (Jedis admin = redis.connect()) {
            long kept = admin.xlen("{" + prefix + "}:log");
            assertTrue(kept >= 1000 && kept < 3000, "the log keeps at least 1,000 events, not all: " + kept);
        }
    }

    @Test
    void aPublishRetriedWithItsIdempotencyKeyOnEitherNodeIsOneEventWithOneId() throws Exception {
        startRedis(false);
        ServletContainer jetty = node("jetty", Map.of());
        ServletContainer tomcat = node("tomcat", Map.of());
        SseConnection stream = open(tomcat, "stream?topic=orders");
        awaitSubscribers(tomcat, 1);

        Set<EventId> ids = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.add(publish(i % 2 == 0 ? jetty : tomcat, "orders", "order 42 paid", "order-42-paid"));
        }
        EventId next = publish(jetty, "orders", "order 43 paid", "order-43-paid");

        assertEquals(1, ids.size(), "one id for twenty tries: " + ids);
        EventId id = ids.iterator().next();
        assertEquals(new SseEvent(id.toString(), null, "order 42 paid", null, null), stream.events().awaitEvent(TIMEOUT));
        assertEquals(next.toString(), stream.events().awaitEvent(TIMEOUT).id());
        Http.Reply bad = post(jetty, "orders", "x", "has space");
        assertEquals(400, bad.status());
        assertEquals("Idempotency-Key must be 1 to 128 visible ASCII characters\n", bad.body());
    }

    @Test
    void oneTickASecondForTheWholeClusterAndAnotherNodeTakesOverWhenTheHolderStops() throws Exception {
        startRedis(false);
        ServletContainer jetty = node("jetty", Map.of("ssehub.tickInterval", "1000"));
        ServletContainer tomcat = node("tomcat", Map.of("ssehub.tickInterval", "1000"));
        SseConnection onJetty = open(jetty, "stream");
        SseConnection onTomcat = open(tomcat, "stream");

        List<SseEvent> ticks = onTomcat.events().awaitEvents(4, TIMEOUT);
        assertEquals(ticks, onJetty.events().awaitEvents(4, TIMEOUT), "the same ticks on both nodes");
        assertOneTickASecond(ticks);

        ServletContainer holder = holdsTheLease(jetty) ? jetty : tomcat;
        SseConnection survivor = holder == jetty ? onTomcat : onJetty;
        nodes.remove(holder);
        holder.close();
        survivor.events().drain();
        List<SseEvent> after = survivor.events().awaitEvents(3, TIMEOUT);
        assertOneTickASecond(after);
    }

    // -- helpers

    private void startRedis(boolean appendOnly) throws Exception {
        redis = RedisServer.start(Path.of("target", "redis", prefix), appendOnly);
    }

    private ServletContainer node(String kind, Map<String, String> extra) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("ssehub.tickInterval", "0",
                "ssehub.publishToken", TOKEN, "ssehub.redisUrl", redis.url().toString(),
                "ssehub.redisPrefix", prefix));
        params.putAll(extra);
        ServletContainer node = ServletContainer.start(kind, params);
        nodes.add(node);
        return node;
    }

    private SseConnection open(ServletContainer node, String pathAndQuery) throws IOException {
        return open(node, pathAndQuery, Map.of());
    }

    private SseConnection open(ServletContainer node, String pathAndQuery, Map<String, String> headers)
            throws IOException {
        SseConnection stream = SseConnection.open(node.uri(pathAndQuery), headers);
        assertEquals(200, stream.status());
        streams.add(stream);
        return stream;
    }

    private static Hub hub(ServletContainer node) {
        return HubRuntime.of(node.servletContext()).hub();
    }

    private static boolean holdsTheLease(ServletContainer node) {
        return HubRuntime.of(node.servletContext()).holdsTickerLease();
    }

    private static void awaitSubscribers(ServletContainer node, int count) throws InterruptedException {
        awaitUntil(() -> hub(node).subscriberCount() == count, count + " subscribers");
    }

    private static EventId publish(ServletContainer node, String topic, String data, String idempotencyKey)
            throws IOException {
        Http.Reply reply = post(node, topic, data, idempotencyKey);
        assertEquals(200, reply.status(), reply.body());
        Matcher matcher = ID_REPLY.matcher(reply.body());
        assertTrue(matcher.matches(), reply.body());
        return EventId.parse(matcher.group(1));
    }

    private static EventId publishRetrying(ServletContainer node, String topic, String data, String key)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Http.Reply reply = post(node, topic, data, key);
            if (reply.status() == 200) {
                Matcher matcher = ID_REPLY.matcher(reply.body());
                assertTrue(matcher.matches(), reply.body());
                return EventId.parse(matcher.group(1));
            }
            assertEquals(503, reply.status(), reply.body());
            assertTrue(System.nanoTime() < deadline, "still 503 after " + TIMEOUT);
            Thread.sleep(50);
        }
    }

    private static Http.Reply post(ServletContainer node, String topic, String data, String idempotencyKey)
            throws IOException {
        Map<String, String> headers = new HashMap<>(Map.of("Authorization", "Bearer " + TOKEN));
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        byte[] body = ("topic=" + topic + "&data=" + URLEncoder.encode(data, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        return Http.send("POST", node.uri("publish"), headers, body, "application/x-www-form-urlencoded");
    }

    private static void assertOneTickASecond(List<SseEvent> ticks) {
        for (int i = 1; i < ticks.size(); i++) {
            LocalDateTime previous = LocalDateTime.parse(ticks.get(i - 1).data(), Ticker.FORMAT);
            LocalDateTime current = LocalDateTime.parse(ticks.get(i).data(), Ticker.FORMAT);
            assertEquals(1, Duration.between(previous, current).toSeconds(), "ticks " + ticks);
            assertEquals(EventId.parse(ticks.get(i - 1).id()).sequence() + 1,
                    EventId.parse(ticks.get(i).id()).sequence(), "ticks " + ticks);
        }
    }

    private static void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(condition, what, TIMEOUT);
    }
}
