package dev.ssehub.client;

import dev.ssehub.client.ScriptedServer.Request;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.ssehub.client.ScriptedServer.STREAM_HEAD;
import static dev.ssehub.client.ScriptedServer.answer;
import static dev.ssehub.client.ScriptedServer.bytes;
import static dev.ssehub.client.ScriptedServer.chunkedStreamThenSilence;
import static dev.ssehub.client.ScriptedServer.hangUp;
import static dev.ssehub.client.ScriptedServer.noContent;
import static dev.ssehub.client.ScriptedServer.stream;
import static dev.ssehub.client.ScriptedServer.streamAndHold;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against a raw socket server that sends exact bytes: tricky but valid streams, and answers the WHATWG
 * spec says to give up on. Each stream ends with a 204 on the next connection so that the client stops by itself
 * and the whole timeline can be compared.
 */
class ClientAgainstRawServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    // Streams open with this block so the reconnect that follows them is quick.
    private static final String QUICK_RETRY = "retry: 10\n\n";

    private ScriptedServer server;
    private final ClientRecorder recorder = new ClientRecorder();
    private final List<EventSourceClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        clients.forEach(EventSourceClient::close);
        if (server != null) {
            server.close();
        }
        assertEquals(List.of(), ClientThreads.alive(), "client threads left behind");
    }

    @Test
    void firstRequestAsksForAnEventStreamUncachedAndA204StopsTheClientForGood() throws Exception {
        server = ScriptedServer.start(noContent());
        connect(EventSourceClient.builder(server.uri("/events?topic=a"))
                .header("Authorization", "Bearer secret").header("Accept", "text/html"));

        recorder.awaitClosed(TIMEOUT);
        Request request = server.requests().get(0);
        assertEquals("GET /events?topic=a HTTP/1.1", request.line());
        assertEquals("text/event-stream", request.header("Accept"), "the client's own, whatever the caller set");
        assertEquals("no-cache", request.header("Cache-Control"));
        assertEquals("Bearer secret", request.header("Authorization"));
        assertNull(request.header("Last-Event-ID"), "no id known yet");
        assertEquals(List.of("closed"), recorder.timeline(), "204 is a stop, not an error");
        assertEquals(1, server.requests().size());
    }

    @Test
    void aConfiguredLastEventIdGoesOutOnTheFirstRequestAsUtf8AndNoOtherOne() throws Exception {
        server = ScriptedServer.start(noContent());
        connect(EventSourceClient.builder(server.uri("/")).lastEventId("café-42").header("Last-Event-ID", "forged"));

        recorder.awaitClosed(TIMEOUT);
        assertEquals("café-42", server.requests().get(0).header("Last-Event-ID"));
    }

    @Test
    void crOnlyLineEndsEndLinesAndBlankLinesDispatch() throws Exception {
        server = ScriptedServer.start(
                stream("retry: 10\r\rid: 1\revent: greeting\rdata: a\rdata: b\r\rdata: c\r\r"), noContent());
        connect(EventSourceClient.builder(server.uri("/")));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of(new SseEvent("1", "greeting", "a\nb", null, null), new SseEvent("1", null, "c", null, null)),
                recorder.events(), "the id carries over to the next event");
        assertEquals(List.of("open", "event", "event", "error EOFException retry", "closed"), recorder.timeline());
        assertEquals("1", server.requests().get(1).header("Last-Event-ID"));
    }

    @Test
    void utf8CharactersSplitAcrossWritesDecodeWhole() throws Exception {
        // Each split write follows a whole event in the same write, so the client has read it before the rest comes.
        server = ScriptedServer.start((socket, out) -> {
            out.write(bytes(STREAM_HEAD + QUICK_RETRY + "data: first\n\ndata: caf"));
            out.write(0xC3); // the first byte of é
            out.flush();
            recorder.awaitEvents(1, TIMEOUT);
            out.write(new byte[] {(byte) 0xA9, '\n', '\n', 'd', 'a', 't', 'a', ':', ' ', (byte) 0xF0, (byte) 0x9F});
            out.flush();
            recorder.awaitEvents(2, TIMEOUT);
            out.write(new byte[] {(byte) 0x98, (byte) 0x80, '\n', '\n'}); // the second half of U+1F600
            out.flush();
        }, noContent());
        connect(EventSourceClient.builder(server.uri("/")));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("first", "café", "\uD83D\uDE00"), recorder.events().stream().map(SseEvent::data).toList());
    }

    @Test
    void aLeadingBomIsSkippedOnEveryConnectionButKeptInsideData() throws Exception {
        server = ScriptedServer.start(
                stream("\uFEFF" + QUICK_RETRY + "data: x\n\ndata: \uFEFFy\n\n"),
                stream("\uFEFFdata: z\n\n"),
                noContent());
        connect(EventSourceClient.builder(server.uri("/")).reconnectTime(Duration.ofMillis(10)));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("x", "\uFEFFy", "z"), recorder.events().stream().map(SseEvent::data).toList());
    }

    @Test
    void commentsAndHeartbeatsDispatchNothing() throws Exception {
        server = ScriptedServer.start(
                stream(QUICK_RETRY + ":\n\n: heartbeat\n\n: note\ndata: d\n\n:only a comment\n\n"), noContent());
        connect(EventSourceClient.builder(server.uri("/")));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of(new SseEvent(null, null, "d", null, "note")), recorder.events());
    }

    @Test
    void aStreamCutOffBeforeItsBlankLineLosesThatEventAndDoesNotClaimItsId() throws Exception {
        server = ScriptedServer.start(stream(QUICK_RETRY + "id: 1\ndata: one\n\nid: 2\ndata: two\n"), noContent());
        connect(EventSourceClient.builder(server.uri("/")));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of(new SseEvent("1", null, "one", null, null)), recorder.events());
        assertEquals(List.of("open", "event", "error EOFException retry", "closed"), recorder.timeline());
        assertEquals("1", server.requests().get(1).header("Last-Event-ID"));
    }

    @Test
    void aWrongContentTypeFailsWithoutRetrying() throws Exception {
        server = ScriptedServer.start(answer("200 OK", "text/plain", "data: not an event\n\n"));
        connect(EventSourceClient.builder(server.uri("/")));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("error ContentTypeException final", "closed"), recorder.timeline());
        ContentTypeException error = (ContentTypeException) recorder.signals().get(0).error();
        assertEquals("text/plain", error.contentType());
        assertEquals("Content-Type text/plain, expected text/event-stream", error.getMessage());
        assertEquals(1, server.requests().size(), "no retry");
    }

    @Test
    void aMissingContentTypeFailsWithoutRetrying() throws Exception {
        server = ScriptedServer.start(answer("200 OK", null, "data: x\n\n"));
        connect(EventSourceClient.builder(server.uri("/")));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("error ContentTypeException final", "closed"), recorder.timeline());
        assertNull(((ContentTypeException) recorder.signals().get(0).error()).contentType());
    }

    @Test
    void theMediaTypeIsComparedWithoutCaseAndParameters() throws Exception {
        server = ScriptedServer.start((socket, out) -> {
            out.write(bytes("HTTP/1.1 200 OK\r\nContent-Type: Text/Event-Stream ; charset=UTF-8\r\n"
                    + "Connection: close\r\n\r\n" + QUICK_RETRY + "data: ok\n\n"));
            out.flush();
        }, noContent());
        connect(EventSourceClient.builder(server.uri("/")));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("open", "event", "error EOFException retry", "closed"), recorder.timeline());
    }

    @Test
    void aServerErrorFailsWithoutRetryingAndKeepsTheFirstLineOfItsReason() throws Exception {
        server = ScriptedServer.start(
                answer("500 Internal Server Error", "text/plain; charset=utf-8", "database down\nat line 3\n"));
        connect(EventSourceClient.builder(server.uri("/")));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("error HttpStatusException final", "closed"), recorder.timeline());
        HttpStatusException error = (HttpStatusException) recorder.signals().get(0).error();
        assertEquals(500, error.status());
        assertEquals("database down", error.reason());
        assertEquals("HTTP 500: database down", error.getMessage());
        assertEquals(1, server.requests().size(), "no retry");
    }

    @Test
    void anErrorPageThatIsNotPlainTextIsReportedByItsReasonPhrase() throws Exception {
        server = ScriptedServer.start(answer("503 Service Unavailable", "text/html", "<html><body>busy</body></html>"));
        connect(EventSourceClient.builder(server.uri("/")));

        recorder.awaitClosed(TIMEOUT);
        HttpStatusException error = (HttpStatusException) recorder.signals().get(0).error();
        assertEquals("HTTP 503: Service Unavailable", error.getMessage());
    }

    @Test
    void anotherSuccessStatusThan200FailsToo() throws Exception {
        server = ScriptedServer.start(answer("202 Accepted", "text/event-stream", "data: x\n\n"));
        connect(EventSourceClient.builder(server.uri("/")));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("error HttpStatusException final", "closed"), recorder.timeline());
        assertEquals(202, ((HttpStatusException) recorder.signals().get(0).error()).status());
    }

    @Test
    void aStreamThatEndsWithNothingButRetryIsATurnAwayAndTheWaitIsThatRetry() throws Exception {
        server = ScriptedServer.start(stream("retry: 300\n\n"), noContent());
        connect(EventSourceClient.builder(server.uri("/")).jitter(() -> 0L));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("open", "error TurnedAwayException retry", "closed"), recorder.timeline());
        TurnedAwayException error = (TurnedAwayException) recorder.signals().get(1).error();
        assertEquals(Duration.ofMillis(300), error.retryAfter());
        assertEquals("the server turned the client away (it is full); retry in 300 ms", error.getMessage());
        long waited = TimeUnit.NANOSECONDS.toMillis(server.requests().get(1).nanos() - server.requests().get(0).nanos());
        assertTrue(waited >= 300, "came back after " + waited + " ms");
    }

    @Test
    void aStreamThatSentACommentOrAnEventBeforeEndingWasNoTurnAway() throws Exception {
        server = ScriptedServer.start(stream("retry: 10\n\n:\n\n"), stream("retry: 10\n\ndata: x\n\n"), stream(""),
                noContent());
        connect(EventSourceClient.builder(server.uri("/")).reconnectTime(Duration.ofMillis(10)));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("open", "error EOFException retry", "open", "event", "error EOFException retry",
                "open", "error EOFException retry", "closed"), recorder.timeline());
    }

    @Test
    void aReconnectNeverReusesTheConnectionOfTheStreamThatEnded() throws Exception {
        server = ScriptedServer.start(chunkedStreamThenSilence("retry: 10\n\n:\n\n"), noContent());
        connect(EventSourceClient.builder(server.uri("/")));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("open", "error EOFException retry", "closed"), recorder.timeline());
        assertEquals(2, server.requests().size(), "the second request on a connection of its own");
    }

    @Test
    void aRetryAfterOfSecondsOrADateIsKeptWithTheStatus() throws Exception {
        server = ScriptedServer.start(
                unavailable("Retry-After: 12\r\n"), unavailable("Retry-After: Fri, 31 Dec 1999 23:59:59 GMT\r\n"),
                unavailable(""));
        List<HttpStatusException> errors = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ClientRecorder each = new ClientRecorder();
            clients.add(EventSourceClient.builder(server.uri("/")).listener(each).connect());
            each.awaitClosed(TIMEOUT);
            errors.add((HttpStatusException) each.signals().get(0).error());
        }
        assertEquals(java.util.Optional.of(Duration.ofSeconds(12)), errors.get(0).retryAfter());
        assertEquals(java.util.Optional.of(Duration.ZERO), errors.get(1).retryAfter(), "a date in the past: now");
        assertEquals(java.util.Optional.empty(), errors.get(2).retryAfter());
        assertEquals("HTTP 503: busy", errors.get(0).getMessage());
    }

    @Test
    void repeatedFailuresBackOffAndAnOpenConnectionStartsOver() throws Exception {
        server = ScriptedServer.start(hangUp(), hangUp(), hangUp(), stream("data: x\n\n"), hangUp(), noContent());
        // No jitter: every wait is the low end of its range, which is what the lower bounds below assert.
        connect(EventSourceClient.builder(server.uri("/")).reconnectTime(Duration.ofMillis(100)).jitter(() -> 0L));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of(
                "error NoHttpResponseException retry", "error NoHttpResponseException retry",
                "error NoHttpResponseException retry", "open", "event", "error EOFException retry",
                "error NoHttpResponseException retry", "closed"), recorder.timeline());
        List<Long> gaps = new ArrayList<>();
        List<Request> requests = server.requests();
        for (int i = 1; i < requests.size(); i++) {
            gaps.add(TimeUnit.NANOSECONDS.toMillis(requests.get(i).nanos() - requests.get(i - 1).nanos()));
        }
        long[] atLeast = {100, 250, 500, 100, 250};
        for (int i = 0; i < atLeast.length; i++) {
            assertTrue(gaps.get(i) >= atLeast[i], "wait " + (i + 1) + " was " + gaps.get(i) + " ms: " + gaps);
        }
    }

    @Test
    void aSilentConnectionIsReplacedAfterTheReadTimeout() throws Exception {
        server = ScriptedServer.start(streamAndHold(QUICK_RETRY), noContent());
        connect(EventSourceClient.builder(server.uri("/")).readTimeout(Duration.ofMillis(300)));

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("open", "error SocketTimeoutException retry", "closed"), recorder.timeline());
        assertInstanceOf(SocketTimeoutException.class, recorder.signals().get(1).error());
    }

    @Test
    void closeWhileReadingAbortsTheConnectionAndLeavesNoThread() throws Exception {
        CountDownLatch clientLeft = new CountDownLatch(1);
        server = ScriptedServer.start((socket, out) -> {
            streamAndHold("data: x\n\n").serve(socket, out);
            clientLeft.countDown();
        });
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        EventSourceClient client = connect(EventSourceClient.builder(server.uri("/")));
        recorder.awaitEvents(1, TIMEOUT);

        client.close();

        assertEquals(List.of("open", "event", "closed"), recorder.timeline(), "closing is no error");
        assertEquals(List.of(), ClientThreads.alive());
        List<String> newThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                // this test's server, and okhttp's pool reaper when an okhttp-eventsource test ran earlier in this JVM
                .filter(t -> !t.getName().startsWith("scripted-server") && !t.getName().startsWith("OkHttp"))
                .map(Thread::getName).toList();
        assertEquals(List.of(), newThreads, "threads started by the client and still alive");
        assertTrue(clientLeft.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the socket was closed");
        client.close(); // idempotent
        assertEquals(List.of("open", "event", "closed"), recorder.timeline());
    }

    @Test
    void closeCutsTheWaitBeforeAReconnectShort() throws Exception {
        server = ScriptedServer.start(stream("data: x\n\n"));
        EventSourceClient client = connect(
                EventSourceClient.builder(server.uri("/")).reconnectTime(Duration.ofMinutes(1)));
        recorder.awaitCount("error", 1, TIMEOUT);

        client.close();

        assertEquals(List.of("open", "event", "error EOFException retry", "closed"), recorder.timeline());
        assertEquals(List.of(), ClientThreads.alive(), "close() returned while the thread still waited");
        assertInstanceOf(EOFException.class, recorder.signals().get(2).error());
        assertEquals(1, server.requests().size());
    }

    @Test
    void closeFromInsideACallbackDeliversNothingMore() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        server = ScriptedServer.start((socket, out) -> {
            connected.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            streamAndHold("data: 1\n\ndata: 2\n\ndata: 3\n\n").serve(socket, out);
        });
        AtomicReference<EventSourceClient> self = new AtomicReference<>();
        EventSourceClient client = EventSourceClient.builder(server.uri("/")).listener(new EventSourceListener() {
            @Override
            public void onEvent(SseEvent event) {
                recorder.onEvent(event);
                self.get().close();
            }

            @Override
            public void onClosed() {
                recorder.onClosed();
            }
        }).connect();
        clients.add(client);
        self.set(client);
        connected.countDown();

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("event", "closed"), recorder.timeline());
        assertEquals("1", recorder.events().get(0).data());
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheStream() throws Exception {
        server = ScriptedServer.start(stream(QUICK_RETRY + "data: 1\n\ndata: 2\n\n"), noContent());
        EventSourceClient client = EventSourceClient.builder(server.uri("/")).listener(new EventSourceListener() {
            @Override
            public void onEvent(SseEvent event) {
                recorder.onEvent(event);
                throw new IllegalStateException("a bug in the listener (expected by this test)");
            }

            @Override
            public void onClosed() {
                recorder.onClosed();
            }
        }).connect();
        clients.add(client);

        recorder.awaitClosed(TIMEOUT);
        assertEquals(List.of("1", "2"), recorder.events().stream().map(SseEvent::data).toList());
        assertTrue(recorder.signals().stream().allMatch(s -> s.thread().getName().startsWith("sse-client-")),
                "every callback comes from the client's thread");
    }

    private static ScriptedServer.Exchange unavailable(String header) {
        return (socket, out) -> out.write(bytes("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                + header + "Content-Length: 5\r\nConnection: close\r\n\r\nbusy\n"));
    }

    private EventSourceClient connect(EventSourceClient.Builder builder) {
        EventSourceClient client = builder.listener(recorder).connect();
        clients.add(client);
        return client;
    }
}
