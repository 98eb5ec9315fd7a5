package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.Hub;
import dev.ssehub.testkit.Http;
import dev.ssehub.testkit.Http.Reply;
import dev.ssehub.testkit.RawConnection;
import dev.ssehub.testkit.ServletContainer;
import dev.ssehub.testkit.SseConnection;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /publish and topics: the client-visible contract, against embedded Jetty 12 and embedded Tomcat 11. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "tomcat"})
class PublishContractTest extends ContainerTest {

    private static final String TOKEN = "s3cret-token";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + TOKEN);
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Pattern ID_REPLY = Pattern.compile("\\{\"id\":\"(\\d+-\\d+)\",\"topic\":\"([^\"]+)\"}\n");

    @Test
    void eachStreamGetsExactlyTheEventsOfItsTopics() throws Exception {
        startPublishing(Map.of());
        SseConnection a = open("stream?topic=a");
        SseConnection b = open("stream?topic=b");
        SseConnection ab = open("stream?topic=a&topic=b");
        SseConnection clock = open("stream");
        awaitSubscribers(4);

        EventId a1 = publishJson("a", "chat", "to a");
        EventId c1 = publishJson("c", null, "to c");
        EventId b1 = publishJson("b", null, "to b");
        EventId tick = hub().publish("clock", null, "2026-01-01 00:00:00");

        assertEquals(List.of(event(a1, "chat", "to a")), a.events().awaitEvents(1, TIMEOUT));
        assertEquals(List.of(event(b1, null, "to b")), b.events().awaitEvents(1, TIMEOUT));
        assertEquals(List.of(event(a1, "chat", "to a"), event(b1, null, "to b")), ab.events().awaitEvents(2, TIMEOUT));
        assertEquals(List.of(event(tick, null, "2026-01-01 00:00:00")), clock.events().awaitEvents(1, TIMEOUT));
        for (SseConnection stream : List.of(a, b, ab, clock)) {
            stream.events().assertNoMore(Duration.ofMillis(200));
        }
        assertTrue(c1.sequence() > a1.sequence());
    }

    @Test
    void publishByFormAndByJsonAnswersTheIdOnceTheEventIsInTheLog() throws Exception {
        startPublishing(Map.of());
        SseConnection stream = open("stream?topic=news");
        awaitSubscribers(1);

        Reply form = post(FORM, "topic=news&event=headline&data=" + enc("line one\nline two, ünïcode ✓"));
        Reply json = post(JSON, "{\"topic\":\"news\",\"data\":\"multi\\nline\\r\\nand \\u00e9\"}");

        assertEquals(200, form.status(), form.body());
        assertEquals(200, json.status(), json.body());
        assertEquals("application/json;charset=utf-8", form.header("Content-Type").toLowerCase().replace(" ", ""));
        EventId formId = idOf(form, "news");
        EventId jsonId = idOf(json, "news");
        assertEquals(formId.sequence() + 1, jsonId.sequence());
        assertEquals(List.of(event(formId, "headline", "line one\nline two, ünïcode ✓"),
                event(jsonId, null, "multi\nline\nand é")), stream.events().awaitEvents(2, TIMEOUT));

        SseConnection late = open("stream?topic=news", Map.of("Last-Event-ID", formId.toString()));
        assertEquals(event(jsonId, null, "multi\nline\nand é"), late.events().awaitEvent(TIMEOUT));
    }

    @Test
    void withoutAConfiguredTokenPublishingIsOff() throws Exception {
        container = ServletContainer.start(containerKind, Map.of("ssehub.tickInterval", "0"));

        Reply reply = Http.send("POST", container.uri("publish"), AUTH, bytes("topic=a&data=x"), FORM);

        assertEquals(403, reply.status());
        assertEquals("publishing is off: set a token with ssehub.publishToken or SSEHUB_PUBLISH_TOKEN to turn it on\n",
                reply.body());
        assertNull(hub().lastId());
    }

    @Test
    void missingOrWrongTokensAreRefusedWith401AndAChallenge() throws Exception {
        startPublishing(Map.of());
        Map<Map<String, String>, String> cases = Map.of(
                Map.of(), "missing Authorization: Bearer <token>\n",
                Map.of("Authorization", "Bearer wrong"), "wrong publish token\n",
                Map.of("Authorization", "Bearer " + TOKEN + "x"), "wrong publish token\n",
                Map.of("Authorization", "Basic " + TOKEN), "wrong publish token\n",
                Map.of("Authorization", TOKEN), "wrong publish token\n",
                Map.of("Authorization", "Bearer"), "wrong publish token\n");
        for (Map.Entry<Map<String, String>, String> c : cases.entrySet()) {
            Reply reply = Http.send("POST", container.uri("publish"), c.getKey(), bytes("topic=a&data=x"), FORM);
            assertEquals(401, reply.status(), c.getKey().toString());
            assertEquals(c.getValue(), reply.body());
            assertTrue(reply.header("WWW-Authenticate").startsWith("Bearer realm=\"ssehub\""));
        }
        assertNull(hub().lastId());

        Reply lowerCaseScheme = Http.send("POST", container.uri("publish"),
                Map.of("Authorization", "bearer " + TOKEN), bytes("topic=a&data=x"), FORM);
        assertEquals(200, lowerCaseScheme.status(), "the scheme is case-insensitive (RFC 9110)");
    }

    @Test
    void badInputIsRefusedWithAReasonAndPublishesNothing() throws Exception {
        startPublishing(Map.of("ssehub.maxEventBytes", "1024"));
        SseConnection stream = open("stream?topic=a");
        awaitSubscribers(1);
        record Case(String contentType, byte[] body, int status, String reason) {
        }
        byte[] invalidUtf8Json = {'{', '"', 't', 'o', 'p', 'i', 'c', '"', ':', '"', 'a', '"', ',', '"', 'd', 'a', 't',
            'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        List<Case> cases = List.of(
                new Case(JSON, bytes("{\"topic\":\"a\",\"data\":\"x\",\"event\":\"a\\nb\"}"), 400,
                        "field 'event' must not contain CR, LF or NUL"),
                new Case(JSON, bytes("{\"topic\":\"a\",\"data\":\"x\",\"event\":\"a\\rb\"}"), 400,
                        "field 'event' must not contain CR, LF or NUL"),
                new Case(FORM, bytes("topic=a&data=x&event=a%00b"), 400, "field 'event' must not contain CR, LF or NUL"),
                new Case(FORM, bytes("topic=a&data=x&event=error"), 400, "event type 'error' is reserved: EventSource "
                        + "fires 'open' and 'error' itself, and ssehub sends 'missed'"),
                new Case(FORM, bytes("topic=a&data=x&event=missed"), 400, "event type 'missed' is reserved: EventSource "
                        + "fires 'open' and 'error' itself, and ssehub sends 'missed'"),
                new Case(JSON, bytes("{\"data\":\"x\"}"), 400, "missing field 'topic'"),
                new Case(FORM, bytes("topic=a"), 400, "missing field 'data'"),
                new Case(FORM, bytes("topic=a%2Fb&data=x"), 400,
                        "invalid topic name 'a/b': 1 to 64 characters of A-Z a-z 0-9 _ . -"),
                new Case(JSON, bytes("{\"topic\":\"a\",\"data\":5}"), 400, "field 'data' must be a string"),
                new Case(JSON, bytes("{\"topic\":\"a\",\"data\":\"x\",\"colour\":\"red\"}"), 400,
                        "unknown field 'colour': expected topic, data and event"),
                new Case(JSON, bytes("{\"topic\":\"a\",\"data\":\"x\",\"data\":\"y\"}"), 400, null),
                new Case(JSON, bytes("[\"a\"]"), 400,
                        "the JSON body must be an object with 'topic', 'data' and optionally 'event'"),
                new Case(JSON, bytes("{\"topic\":\"a\",\"data\":\"x\"} {}"), 400,
                        "unexpected content after the JSON object"),
                new Case(JSON, bytes("{\"topic\":\"a\",\"data\":\"x\""), 400, null),
                new Case(JSON, invalidUtf8Json, 400, "the body is not valid UTF-8"),
                new Case(FORM, bytes("topic=a&data=%C3%28"), 400, "the form field is not valid UTF-8"),
                new Case(FORM, bytes("topic=a&data=%G1"), 400, "invalid percent-encoding in the form body"),
                new Case(FORM, bytes("topic=a&topic=b&data=x"), 400, "field 'topic' given more than once"),
                new Case("text/plain", bytes("hello"), 415,
                        "unsupported content type 'text/plain': send application/json or application/x-www-form-urlencoded"),
                new Case(JSON + ";charset=ISO-8859-1", bytes("{\"topic\":\"a\",\"data\":\"x\"}"), 415,
                        "the body must be UTF-8"),
                new Case(null, bytes("topic=a&data=x"), 415,
                        "unsupported content type '': send application/json or application/x-www-form-urlencoded"),
                new Case(FORM, bytes("topic=a&data=" + "x".repeat(1020)), 413,
                        "the body is larger than 1024 bytes (ssehub.maxEventBytes)"));
        for (Case c : cases) {
            Reply reply = Http.send("POST", container.uri("publish"), AUTH, c.body(), c.contentType());
            String what = c.contentType() + " " + new String(c.body(), StandardCharsets.UTF_8);
            assertEquals(c.status(), reply.status(), what + " -> " + reply.body());
            if (c.reason() != null) {
                assertEquals(c.reason() + "\n", reply.body(), what);
            } else {
                assertTrue(reply.body().startsWith("invalid JSON"), reply.body());
            }
            assertEquals(1, reply.body().lines().count(), "one line: " + reply.body());
        }
        assertNull(hub().lastId(), "nothing was published");
        stream.events().assertNoMore(Duration.ofMillis(200));
        assertEquals(1, hub().subscriberCount(), "the stream was not disturbed");

        EventId ok = publishJson("a", null, "still fine");
        assertEquals(event(ok, null, "still fine"), stream.events().awaitEvent(TIMEOUT));
    }

    @Test
    void loneSurrogatesAreNotUnicodeAndPublishNothing() throws Exception {
        startPublishing(Map.of());
        SseConnection stream = open("stream?topic=t");
        awaitSubscribers(1);
        Map<String, String> cases = Map.of(
                "{\"topic\":\"t\",\"data\":\"x\\ud800y\"}", "field 'data' is not valid Unicode: lone surrogate",
                "{\"topic\":\"t\",\"data\":\"\\udc00\\ud800\"}", "field 'data' is not valid Unicode: lone surrogate",
                "{\"topic\":\"t\",\"data\":\"x\",\"event\":\"\\udc00\"}",
                "field 'event' is not valid Unicode: lone surrogate",
                "{\"topic\":\"t\\ud800\",\"data\":\"x\"}", "field 'topic' is not valid Unicode: lone surrogate");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Reply reply = post(JSON, c.getKey());
            assertEquals(400, reply.status(), c.getKey());
            assertEquals(c.getValue() + "\n", reply.body(), c.getKey());
        }
        assertNull(hub().lastId(), "nothing was published");

        Reply pair = post(JSON, "{\"topic\":\"t\",\"data\":\"\\ud83d\\ude00\"}");
        assertEquals(event(idOf(pair, "t"), null, "\ud83d\ude00"), stream.events().awaitEvent(TIMEOUT));
    }

    @Test
    void aJsonErrorIsOneLineWithItsControlCharactersEscaped() throws Exception {
        startPublishing(Map.of());

        Reply reply = post(JSON, "{\"topic\":\"a\",\"data\":tr\u001b\u0085u\r\ne}");

        assertEquals(400, reply.status());
        assertEquals("invalid JSON: Unrecognized token 'tr\\x1b\\x85u': was expecting (JSON String, Number, Array, "
                + "Object or token 'null', 'true' or 'false')\n", reply.body());
        assertNull(hub().lastId());
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedBeforeItEnds() throws Exception {
        startPublishing(Map.of("ssehub.maxEventBytes", "1024"));
        try (Socket socket = new Socket(container.baseUri().getHost(), container.baseUri().getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            String chunk = "topic=a&data=" + "x".repeat(4083);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + container.baseUri().getPath() + "publish HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\nContent-Type: " + FORM + "\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body never ends: an answer now proves the server stopped reading at the limit.
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", answer);
        }
        assertNull(hub().lastId());
    }

    @Test
    void slowBodiesHoldNoThreadAndAreRefusedWith408AtTheDeadline() throws Exception {
        // 8 threads in the container's pool, 12 publishers trickling their bodies: blocking reads would take them all.
        startPublishing(Map.of("ssehub.bodyReadTimeout", "3000"), 8);
        String head = "POST " + container.baseUri().getPath() + "publish HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nContent-Type: " + FORM + "\r\n"
                + "Content-Length: 65536\r\n\r\n" + "topic=a&data=";
        List<RawConnection> slow = new ArrayList<>();
        List<RawConnection> unauthorized = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        ExecutorService prompt = Executors.newSingleThreadExecutor();
        try {
            long started = System.nanoTime();
            for (int i = 0; i < 12; i++) {
                slow.add(RawConnection.open(container.baseUri(), TIMEOUT));
                slow.get(i).send(head);
            }
            // Refused at once, without the body: a container left to drain it would hold a thread as well.
            for (int i = 0; i < 12; i++) {
                unauthorized.add(RawConnection.open(container.baseUri(), TIMEOUT));
                unauthorized.get(i).send(head.replace(TOKEN, "wrong"));
                Reply refused = unauthorized.get(i).readReply(false);
                assertEquals(401, refused.status());
                assertEquals("wrong publish token\n", refused.body());
                assertEquals("close", refused.header("Connection"));
            }
            trickle.scheduleAtFixedRate(() -> {
                for (RawConnection connection : slow) {
                    sendQuietly(connection, "x");
                }
                for (RawConnection connection : unauthorized) {
                    sendQuietly(connection, "x");
                }
            }, 200, 200, TimeUnit.MILLISECONDS);

            // Answered long before the slow bodies' deadline, while they keep trickling.
            EventId id = prompt.submit(() -> publishJson("a", null, "prompt")).get(2, TimeUnit.SECONDS);
            SseConnection stream = prompt.submit(() -> open("stream?topic=a")).get(2, TimeUnit.SECONDS);
            assertEquals(200, stream.status());
            trickle.shutdownNow();
            assertTrue(trickle.awaitTermination(5, TimeUnit.SECONDS));

            for (RawConnection connection : slow) {
                Reply refused = connection.readReply(false);
                assertEquals(408, refused.status());
                assertEquals("the body did not arrive within 3000 ms (ssehub.bodyReadTimeout)\n", refused.body());
                assertEquals("close", refused.header("Connection"));
                assertTrue(connection.closedByServer());
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 3000, "not before the deadline");
            assertEquals(id, hub().lastId(), "the refused bodies published nothing");
            stream.events().assertNoMore(Duration.ofMillis(200));
        } finally {
            trickle.shutdownNow();
            prompt.shutdownNow();
            slow.forEach(RawConnection::close);
            unauthorized.forEach(RawConnection::close);
        }
    }

    @Test
    void injectedFieldsInDataStayData() throws Exception {
        startPublishing(Map.of());
        SseConnection stream = open("stream?topic=a");
        awaitSubscribers(1);

        EventId id = publishJson("a", null, "hi\n\nevent: admin\ndata: pwned\nid: 999");

        assertEquals(event(id, null, "hi\n\nevent: admin\ndata: pwned\nid: 999"), stream.events().awaitEvent(TIMEOUT));
        stream.events().assertNoMore(Duration.ofMillis(200));
    }

    @Test
    void otherMethodsGet405() throws Exception {
        startPublishing(Map.of());
        Reply reply = Http.get(container.uri("publish"));
        assertEquals(405, reply.status());
        assertEquals("POST, OPTIONS", reply.header("Allow"));
        assertEquals("use POST to publish\n", reply.body());
    }

    @Test
    void replayAcrossTopicsFollowsTheOneIdSequence() throws Exception {
        startPublishing(Map.of());
        List<EventId> ids = new ArrayList<>();
        String[] topics = {"a", "b", "c", "a", "c", "b", "a"};
        for (int i = 0; i < topics.length; i++) {
            ids.add(publishJson(topics[i], null, topics[i] + i));
        }

        SseConnection stream = open("stream?topic=b&topic=a", Map.of("Last-Event-ID", ids.get(1).toString()));

        assertEquals(List.of(event(ids.get(3), null, "a3"), event(ids.get(5), null, "b5"), event(ids.get(6), null, "a6")),
                stream.events().awaitEvents(3, TIMEOUT));
        stream.events().assertNoMore(Duration.ofMillis(200));
    }

    @Test
    void corsGrantsOnlyTheConfiguredOrigins() throws Exception {
        startPublishing(Map.of("ssehub.allowedOrigins", "https://app.example, https://other.example"));
        String allowed = "https://app.example";

        assertStreamGrant("https://evil.example", null);
        assertStreamGrant(allowed, allowed);

        Reply preflight = Http.send("OPTIONS", container.uri("publish"), Map.of("Origin", allowed,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type"),
                null, null);
        assertEquals(204, preflight.status());
        assertEquals(allowed, preflight.header("Access-Control-Allow-Origin"));
        assertEquals("POST", preflight.header("Access-Control-Allow-Methods"));
        assertEquals("Authorization, Content-Type, Idempotency-Key", preflight.header("Access-Control-Allow-Headers"));

        Reply refused = preflight("https://evil.example");
        assertEquals(403, refused.status());
        assertEquals("origin not allowed: add it to ssehub.allowedOrigins\n", refused.body());

        Reply post = Http.send("POST", container.uri("publish"), Map.of("Origin", allowed, "Authorization",
                "Bearer " + TOKEN), bytes("topic=a&data=x"), FORM);
        assertEquals(200, post.status());
        assertEquals(allowed, post.header("Access-Control-Allow-Origin"));
    }

    @Test
    void aPreflightFromThePagesOwnOriginNeedsNoGrant() throws Exception {
        startPublishing(Map.of()); // no allowedOrigins: same-origin only
        String own = "http://" + container.baseUri().getHost() + ":" + container.baseUri().getPort();

        Reply sameOrigin = preflight(own);
        Reply other = preflight("https://elsewhere.example");

        assertEquals(204, sameOrigin.status(), sameOrigin.body());
        assertEquals(null, sameOrigin.header("Access-Control-Allow-Origin"), "a page of this server needs no grant");
        assertEquals(403, other.status());
    }

    @Test
    void anyOriginMeansEveryOriginButNull() throws Exception {
        startPublishing(Map.of("ssehub.allowedOrigins", "*"));
        String anywhere = "https://anywhere.example";

        assertStreamGrant(anywhere, anywhere);
        // Every sandboxed frame and file:// page sends "null": granting it would grant them all, with credentials.
        assertStreamGrant("null", null);
        Reply preflight = preflight("null");
        assertEquals(403, preflight.status());
        assertEquals("origin 'null' is never allowed: sandboxed frames and file:// pages all send it\n",
                preflight.body());
        assertNull(preflight.header("Access-Control-Allow-Origin"));
        Reply post = Http.send("POST", container.uri("publish"), Map.of("Origin", "null", "Authorization",
                "Bearer " + TOKEN), bytes("topic=a&data=x"), FORM);
        assertEquals(200, post.status(), "the token still publishes; a page of origin null cannot read the answer");
        assertNull(post.header("Access-Control-Allow-Origin"));
        assertNull(post.header("Access-Control-Allow-Credentials"));
    }

    @Test
    void eightPublishersAndTwoHundredSubscribersLoseNothingAndKeepTheOrder() throws Exception {
        startPublishing(Map.of());
        String[] topics = {"t0", "t1", "t2", "t3"};
        List<SseConnection> subscribers = new ArrayList<>();
        List<List<String>> subscribedTopics = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            List<String> mine = i % 2 == 0 ? List.of(topics[i % 4]) : List.of(topics[i % 4], topics[(i + 1) % 4]);
            subscribedTopics.add(mine);
            subscribers.add(open("stream?topic=" + String.join("&topic=", mine)));
        }
        awaitSubscribers(200);

        ExecutorService publishers = Executors.newFixedThreadPool(8);
        List<Future<List<SseEvent>>> results = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            int publisher = p;
            results.add(publishers.submit(() -> {
                List<SseEvent> sent = new ArrayList<>();
                for (int n = 0; n < 40; n++) {
                    String topic = topics[(publisher + n) % 4];
                    String data = "p" + publisher + " n" + n;
                    sent.add(new SseEvent(publishJson(topic, topic, data).toString(), topic, data, null, null));
                }
                return sent;
            }));
        }
        List<SseEvent> published = new ArrayList<>();
        for (Future<List<SseEvent>> result : results) {
            published.addAll(result.get());
        }
        publishers.shutdown();
        published.sort((x, y) -> Long.compare(EventId.parse(x.id()).sequence(), EventId.parse(y.id()).sequence()));

        for (int i = 0; i < subscribers.size(); i++) {
            List<String> mine = subscribedTopics.get(i);
            List<SseEvent> expected = published.stream().filter(e -> mine.contains(e.type())).toList();
            assertEquals(expected, subscribers.get(i).events().awaitEvents(expected.size(), TIMEOUT), "subscriber " + i);
        }
        for (SseConnection subscriber : subscribers) {
            subscriber.events().assertNoneYet();
        }
    }

    /** Starts with the ticker off and the test token configured, plus {@code extra}. */
    private void startPublishing(Map<String, String> extra) throws Exception {
        startPublishing(extra, 0);
    }

    /** The same, with at most {@code maxThreads} threads in the container's pool (0: its default). */
    private void startPublishing(Map<String, String> extra, int maxThreads) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("ssehub.tickInterval", "0", "ssehub.publishToken", TOKEN));
        params.putAll(extra);
        start(params, maxThreads);
    }

    /** A stream opened from {@code origin} is granted to {@code granted} with credentials, or to no one (null). */
    private void assertStreamGrant(String origin, String granted) throws Exception {
        try (SseConnection stream = SseConnection.open(container.uri("stream"), Map.of("Origin", origin))) {
            assertEquals(200, stream.status());
            assertEquals(granted, stream.header("Access-Control-Allow-Origin"), origin);
            assertEquals(granted == null ? null : "true", stream.header("Access-Control-Allow-Credentials"), origin);
        }
    }

    private Reply preflight(String origin) throws Exception {
        return Http.send("OPTIONS", container.uri("publish"), Map.of("Origin", origin,
                "Access-Control-Request-Method", "POST"), null, null);
    }

    private EventId publishJson(String topic, String type, String data) throws Exception {
        String body = "{\"topic\":\"" + topic + "\",\"data\":" + jsonString(data)
                + (type == null ? "" : ",\"event\":\"" + type + "\"") + "}";
        Reply reply = post(JSON, body);
        assertEquals(200, reply.status(), reply.body());
        return idOf(reply, topic);
    }

    private Reply post(String contentType, String body) throws Exception {
        return Http.send("POST", container.uri("publish"), AUTH, bytes(body), contentType);
    }

    private static EventId idOf(Reply reply, String topic) {
        Matcher matcher = ID_REPLY.matcher(reply.body());
        assertTrue(matcher.matches(), reply.body());
        assertEquals(topic, matcher.group(2));
        return EventId.parse(matcher.group(1));
    }

    // The server may have given up on the connection; the test's assertions say whether it should have.
    private static void sendQuietly(RawConnection connection, String text) {
        try {
            connection.send(text);
        } catch (IOException ignored) {
            // closed by the server
        }
    }

    private static SseEvent event(EventId id, String type, String data) {
        return new SseEvent(id.toString(), type, data, null, null);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
