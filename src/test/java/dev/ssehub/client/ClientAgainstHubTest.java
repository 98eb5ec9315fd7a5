package dev.ssehub.client;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.Hub;
import dev.ssehub.server.RunningHub;
import dev.ssehub.testkit.Await;
import dev.ssehub.testkit.ServletContainer;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against the ssehub webapp itself, on embedded Jetty 12 and embedded Tomcat 11. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "tomcat"})
class ClientAgainstHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");

    @Parameter
    String containerKind;

    private ServletContainer container;
    private final ClientRecorder recorder = new ClientRecorder();
    private EventSourceClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (container != null) {
            container.close();
        }
        assertEquals(List.of(), ClientThreads.alive(), "client threads left behind");
    }

    @Test
    void ticksArriveAsPlainMessagesWithTheServerTimeAndConsecutiveIds() throws Exception {
        container = ServletContainer.start(containerKind, Map.of("ssehub.tickInterval", "200"));
        client = connect(EventSourceClient.builder(container.uri("stream")));

        List<SseEvent> ticks = recorder.awaitEvents(3, TIMEOUT);
        EventId first = EventId.parse(ticks.get(0).id());
        for (int i = 0; i < ticks.size(); i++) {
            SseEvent tick = ticks.get(i);
            assertTrue(TIME.matcher(tick.data()).matches(), tick.data());
            assertNull(tick.type());
            assertEquals(new EventId(first.epoch(), first.sequence() + i), EventId.parse(tick.id()));
        }
        assertEquals(ticks.get(2).id(), client.lastEventId());
    }

    @Test
    void afterARestartOnTheSamePortTheClientReplaysExactlyWhatWasPublishedWhileItWasAway() throws Exception {
        startWithoutTicks(100);
        Hub hub = RunningHub.of(container);
        client = connect(EventSourceClient.builder(container.uri("stream?topic=news")));
        recorder.awaitCount("open", 1, TIMEOUT);
        List<EventId> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ids.add(hub.publish("news", null, "before " + i));
        }
        recorder.awaitEvents(3, TIMEOUT);

        container.stopConnector();
        recorder.awaitCount("error", 1, TIMEOUT);
        for (int i = 4; i <= 6; i++) {
            ids.add(hub.publish("news", "update", "while away " + i));
        }
        container.startConnector();
        recorder.awaitCount("open", 2, TIMEOUT);
        ids.add(hub.publish("news", null, "after 7"));

        List<SseEvent> expected = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            String type = i >= 4 && i <= 6 ? "update" : null;
            String data = i <= 3 ? "before " + i : i <= 6 ? "while away " + i : "after 7";
            expected.add(new SseEvent(ids.get(i - 1).toString(), type, data, null, null));
        }
        // Replay comes before live events, so a duplicate or a gap would show up before "after 7".
        assertEquals(expected, recorder.awaitEvents(7, TIMEOUT));
        List<String> withoutErrors = recorder.timeline().stream().filter(s -> !s.startsWith("error")).toList();
        assertEquals(List.of("open", "event", "event", "event", "open", "event", "event", "event", "event"),
                withoutErrors);
        assertTrue(recorder.signals().stream().filter(s -> s.kind().equals("error")).allMatch(s -> s.willRetry()));
    }

    @Test
    void aClientDroppedBeforeItsFirstEventStillGetsWhatWasPublishedWhileItWasAway() throws Exception {
        startWithoutTicks(100);
        Hub hub = RunningHub.of(container);
        EventId head = hub.publish("elsewhere", null, "before the client came");
        client = connect(EventSourceClient.builder(container.uri("stream?topic=news")));
        awaitLastEventId(head.toString()); // the stream's position, told at once: nothing of its topics came yet

        container.stopConnector();
        recorder.awaitCount("error", 1, TIMEOUT);
        EventId missed = hub.publish("news", null, "while away");
        container.startConnector();
        recorder.awaitCount("open", 2, TIMEOUT);
        EventId live = hub.publish("news", null, "after");

        assertEquals(List.of(new SseEvent(missed.toString(), null, "while away", null, null),
                new SseEvent(live.toString(), null, "after", null, null)), recorder.awaitEvents(2, TIMEOUT));
    }

    // drainTime 0: a stopping Tomcat connector times the streams out, and their farewell would add up to drainTime
    // (10 s) to the retry, spreading clients as a draining node should, but beyond what these tests wait.
    private void startWithoutTicks(long retryMillis) throws Exception {
        container = ServletContainer.start(containerKind, Map.of("ssehub.tickInterval", "0",
                "ssehub.retry", Long.toString(retryMillis), "ssehub.drainTime", "0"));
    }

    private void awaitLastEventId(String expected) throws InterruptedException {
        Await.until(() -> expected.equals(client.lastEventId()), "last event id " + expected, TIMEOUT);
    }


    @Test
    void theServersRetryHintSetsTheWaitBeforeReconnecting() throws Exception {
        startWithoutTicks(1000);
        // The client's own reconnection time is tiny, so a wait of a second can only come from the server's hint.
        client = connect(EventSourceClient.builder(container.uri("stream")).reconnectTime(Duration.ofMillis(20)));
        recorder.awaitCount("open", 1, TIMEOUT);

        container.stopConnector();
        ClientRecorder.Signal dropped = recorder.awaitCount("error", 1, TIMEOUT);
        container.startConnector();
        ClientRecorder.Signal reopened = recorder.awaitCount("open", 2, TIMEOUT);

        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(reopened.nanos() - dropped.nanos());
        assertTrue(waitedMillis >= 1000, "reconnected after " + waitedMillis + " ms");
    }

    @Test
    void aRefusedTopicFailsWith400AndTheServersReasonWithoutRetrying() throws Exception {
        container = ServletContainer.start(containerKind, Map.of("ssehub.tickInterval", "0"));
        client = connect(EventSourceClient.builder(container.uri("stream?topic=no%20way")));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("error HttpStatusException final", "closed"), recorder.timeline());
        HttpStatusException error = (HttpStatusException) recorder.signals().get(0).error();
        assertEquals(400, error.status());
        assertEquals("invalid topic name 'no way': 1 to 64 characters of A-Z a-z 0-9 _ . -", error.reason());
    }

    @Test
    void anIdFromAnotherRunOfTheServerGetsTheMissedNoticeThenLiveEvents() throws Exception {
        container = ServletContainer.start(containerKind, Map.of("ssehub.tickInterval", "0"));
        Hub hub = RunningHub.of(container);
        EventId head = hub.publish("clock", null, "already there");
        client = connect(EventSourceClient.builder(container.uri("stream")).lastEventId("1-5"));

        SseEvent missed = recorder.awaitEvents(1, TIMEOUT).get(0);
        assertEquals(new SseEvent(head.toString(), "missed", "{\"lastEventId\":\"1-5\",\"reason\":\"unknown\"}",
                null, null), missed);
        EventId live = hub.publish("clock", null, "live");
        assertEquals(new SseEvent(live.toString(), null, "live", null, null), recorder.awaitEvents(2, TIMEOUT).get(1));
    }

    @Test
    void aFullServerTurnsTheClientAwayWithAJitteredRetryThatTheClientWaits() throws Exception {
        container = ServletContainer.start(containerKind,
                Map.of("ssehub.tickInterval", "0", "ssehub.maxStreams", "1", "ssehub.overloadRetry", "300"));
        ClientRecorder first = new ClientRecorder();
        try (EventSourceClient holder = first.connectTo(container.uri("stream?topic=held"))) {
            first.awaitCount("open", 1, TIMEOUT);
            client = connect(EventSourceClient.builder(container.uri("stream?topic=full")));

            ClientRecorder.Signal turnedAway = recorder.awaitCount("error", 1, TIMEOUT);
            TurnedAwayException error = (TurnedAwayException) turnedAway.error();
            assertTrue(turnedAway.willRetry());
            long retry = error.retryAfter().toMillis();
            assertTrue(retry >= 300 && retry <= 600, "retry: " + retry + " ms, expected between 1x and 2x 300");
            long waited = TimeUnit.NANOSECONDS.toMillis(recorder.awaitCount("open", 2, TIMEOUT).nanos()
                    - turnedAway.nanos());
            assertTrue(waited >= retry, "came back after " + waited + " ms, asked for " + retry);
        }
    }

    private EventSourceClient connect(EventSourceClient.Builder builder) {
        return builder.listener(recorder).connect();
    }
}
