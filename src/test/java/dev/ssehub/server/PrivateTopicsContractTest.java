package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.testkit.Http;
import dev.ssehub.testkit.PublishClient;
import dev.ssehub.testkit.RecordingListener.Retry;
import dev.ssehub.testkit.SseConnection;
import dev.ssehub.testkit.Tokens;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Private topics: who may read and publish what, with signed tokens, against embedded Jetty and Tomcat. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "tomcat"})
class PrivateTopicsContractTest extends ContainerTest {

    static final String SECRET = "a-test-secret-of-at-least-32-bytes!";
    private static final String PUBLISH_TOKEN = "static-publish-token";
    private static final String CHALLENGE = "Bearer realm=\"ssehub\"";
    private static final String INVALID = "Bearer realm=\"ssehub\", error=\"invalid_token\"";
    private static final String SCOPE = "Bearer realm=\"ssehub\", error=\"insufficient_scope\"";

    private void startPrivate(Map<String, String> extra) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("ssehub.tickInterval", "0", "ssehub.jwtSecret", SECRET,
                "ssehub.privateTopics", "user.*,admin,chat,chatter,chat.*"));
        params.putAll(extra);
        start(params);
    }

    private Http.Reply get(String pathAndQuery, Map<String, String> headers) throws Exception {
        return Http.send("GET", container.uri(pathAndQuery), headers, null, null);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static Map<String, String> cookie(String token) {
        return Map.of("Cookie", TopicAccess.COOKIE + "=" + token);
    }

    private void assertRefused(int status, String challenge, String body, Http.Reply reply) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals(challenge, reply.header("WWW-Authenticate"));
        assertEquals(body, reply.body());
    }

    @Test
    void publicTopicsNeedNoTokenAndIgnoreOne() throws Exception {
        startPrivate(Map.of());
        SseConnection news = open("stream?topic=news");
        SseConnection clock = open("stream", cookie("expired-or-garbage"));
        awaitSubscribers(2);
        EventId id = hub().publish("news", null, "public");

        assertEquals(new SseEvent(id.toString(), null, "public", null, null), news.events().awaitEvent(TIMEOUT));
        assertEquals(200, clock.status());
    }

    @Test
    void aPrivateTopicWithoutATokenIs401WithAChallenge() throws Exception {
        startPrivate(Map.of());
        assertRefused(401, CHALLENGE, "topic 'user.42' is private: send a token as Authorization: Bearer <token> "
                + "or in the cookie ssehubAuthorization\n", get("stream?topic=user.42", Map.of()));
        assertEquals(401, Http.send("HEAD", container.uri("stream?topic=user.42"), Map.of(), null, null).status());
    }

    @Test
    void aGrantedPrivateTopicStreamsAndOneNotGrantedIs403NamingIt() throws Exception {
        startPrivate(Map.of());
        SseConnection mine = open("stream?topic=user.42", bearer(Tokens.reading(SECRET, "user.42")));
        awaitSubscribers(1);
        EventId id = hub().publish("user.42", "note", "for 42");
        assertEquals(new SseEvent(id.toString(), "note", "for 42", null, null), mine.events().awaitEvent(TIMEOUT));

        assertRefused(403, SCOPE, "the token does not grant subscribe to topic 'user.42'\n",
                get("stream?topic=user.42", bearer(Tokens.reading(SECRET, "user.4"))));
        assertRefused(403, SCOPE, "the token does not grant subscribe to topic 'admin'\n",
                get("stream?topic=admin", bearer(Tokens.hs256(SECRET, Tokens.grants(null, List.of("*"),
                        Duration.ofMinutes(1))))));
    }

    @Test
    void aRequestForSeveralTopicsIsAllOrNothing() throws Exception {
        startPrivate(Map.of());
        String token = Tokens.reading(SECRET, "user.42");
        assertRefused(403, SCOPE, "the token does not grant subscribe to topic 'admin'\n",
                get("stream?topic=news&topic=user.42&topic=admin", bearer(token)));
        assertEquals(0, hub().subscriberCount(), "no partial stream");

        SseConnection mixed = open("stream?topic=news&topic=user.42", bearer(token));
        awaitSubscribers(1);
        EventId pub = hub().publish("news", null, "public");
        EventId priv = hub().publish("user.42", null, "private");
        assertEquals(List.of(new SseEvent(pub.toString(), null, "public", null, null),
                new SseEvent(priv.toString(), null, "private", null, null)), mixed.events().awaitEvents(2, TIMEOUT));
    }

    @Test
    void aPrefixGrantCoversTopicsBelowItButNotItsOwnNameNorLongerWords() throws Exception {
        startPrivate(Map.of());
        Map<String, String> chat = bearer(Tokens.reading(SECRET, "chat.*"));
        for (String topic : List.of("chat.room", "chat.a.b")) {
            try (SseConnection stream = open("stream?topic=" + topic, chat)) {
                assertEquals(200, stream.status(), topic);
            }
        }
        for (String topic : List.of("chat", "chatter")) {
            assertRefused(403, SCOPE, "the token does not grant subscribe to topic '" + topic + "'\n",
                    get("stream?topic=" + topic, chat));
        }
        try (SseConnection all = open("stream?topic=chat&topic=admin&topic=user.1",
                bearer(Tokens.reading(SECRET, "*")))) {
            assertEquals(200, all.status());
        }
    }

    @Test
    void theHeaderComesBeforeTheCookie() throws Exception {
        startPrivate(Map.of());
        Map<String, String> both = new HashMap<>(bearer(Tokens.reading(SECRET, "user.1")));
        both.putAll(cookie(Tokens.reading(SECRET, "user.2")));
        try (SseConnection byHeader = open("stream?topic=user.1", both)) {
            assertEquals(200, byHeader.status());
        }
        assertRefused(403, SCOPE, "the token does not grant subscribe to topic 'user.2'\n",
                get("stream?topic=user.2", both));

        Map<String, String> badHeader = new HashMap<>(bearer("not-a-jwt"));
        badHeader.putAll(cookie(Tokens.reading(SECRET, "user.2")));
        assertRefused(401, INVALID, "invalid token: the token is not a JWT\n", get("stream?topic=user.2", badHeader));

        Map<String, String> basicAndCookie = new HashMap<>(Map.of("Authorization", "Basic dXNlcjpwYXNz"));
        basicAndCookie.putAll(cookie(Tokens.reading(SECRET, "user.2")));
        try (SseConnection byCookie = open("stream?topic=user.2", basicAndCookie)) {
            assertEquals(200, byCookie.status(), "another scheme is not our token: the cookie is read");
        }
    }

    @Test
    void aTokenInTheQueryStringIsRefusedUnlessTheOperatorAllowsIt() throws Exception {
        startPrivate(Map.of());
        String query = "stream?topic=user.1&access_token=" + Tokens.reading(SECRET, "user.1");
        assertRefused(400, "Bearer realm=\"ssehub\", error=\"invalid_request\"", "a token in the URL is refused "
                + "(URLs end up in logs): send it as Authorization: Bearer <token> or in the cookie "
                + "ssehubAuthorization\n", get(query, Map.of()));
        container.close();

        startPrivate(Map.of("ssehub.allowQueryToken", "true"));
        try (SseConnection stream = open(query)) {
            assertEquals(200, stream.status());
        }
    }

    @Test
    void refusalsComeBeforeAdmissionTakesAPlace() throws Exception {
        startPrivate(Map.of("ssehub.maxStreams", "1"));
        open("stream?topic=news");
        awaitSubscribers(1);

        assertEquals(401, get("stream?topic=user.1", Map.of()).status(), "not 503: every place is taken");
        assertEquals(403, get("stream?topic=user.1", bearer(Tokens.reading(SECRET, "user.2"))).status());
        assertEquals(1, runtime().admission().openStreams());
    }

    @Test
    void replayReadsOnlyTheGrantedTopicsAsked() throws Exception {
        startPrivate(Map.of());
        EventId start = hub().publish("user.4", null, "a");
        hub().publish("user.42", null, "not yours");
        EventId mine = hub().publish("user.4", null, "c");
        String user4 = Tokens.reading(SECRET, "user.4");

        Map<String, String> resume = new HashMap<>(bearer(user4));
        resume.put("Last-Event-ID", start.toString());
        assertRefused(403, SCOPE, "the token does not grant subscribe to topic 'user.42'\n",
                get("stream?topic=user.4&topic=user.42", resume));
        SseConnection replay = open("stream?topic=user.4", resume);

        assertEquals(new SseEvent(mine.toString(), null, "c", null, null), replay.events().awaitEvent(TIMEOUT));
        replay.events().assertNoMore(Duration.ofMillis(300));
    }

    @Test
    void aStreamEndsWhenItsTokenExpiresAndResumesWithAFreshTokenWithoutAGap() throws Exception {
        startPrivate(Map.of("ssehub.jwtClockSkew", "0", "ssehub.metricsPublic", "true"));
        get("stream?topic=user.42", Map.of()); // warms the first request up, so that the token's 2 s are the stream's
        Instant expiry = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 3); // exp has whole seconds: 2 to 3 s
        String shortLived = Tokens.hs256(SECRET, Tokens.grants(List.of("user.42"), null, Duration.ZERO)
                .expirationTime(java.util.Date.from(expiry)));
        SseConnection stream = open("stream?topic=user.42", bearer(shortLived));
        assertEquals(200, stream.status());
        awaitSubscribers(1);
        EventId before = hub().publish("user.42", null, "before");
        assertEquals(before.toString(), stream.events().awaitEvent(TIMEOUT).id());

        stream.awaitEnd(TIMEOUT);
        Instant ended = Instant.now();
        assertTrue(!ended.isBefore(expiry), "ended at " + ended + ", before the token's expiry " + expiry);
        assertTrue(ended.isBefore(expiry.plusMillis(2000)), "ended at " + ended + ", long after " + expiry);
        List<Object> ending = stream.events().drain();
        Retry retry = (Retry) ending.get(ending.size() - 1);
        assertTrue(retry.millis() >= 100 && retry.millis() < 1000, "a short retry: " + retry);

        EventId whileAway = hub().publish("user.42", null, "while away");
        assertEquals(401, get("stream?topic=user.42", bearer(shortLived)).status(), "the old token is refused");
        Map<String, String> fresh = new HashMap<>(bearer(Tokens.reading(SECRET, "user.42")));
        fresh.put("Last-Event-ID", before.toString());
        SseConnection resumed = open("stream?topic=user.42", fresh);
        assertEquals(new SseEvent(whileAway.toString(), null, "while away", null, null),
                resumed.events().awaitEvent(TIMEOUT));
        Map<String, Double> metrics = OperationsContractTest.parse(Http.get(container.uri("metrics")).body());
        assertEquals(1.0, metrics.get("ssehub_streams_closed_total{reason=\"expired_auth\"}"));
    }

    @Test
    void anAllowedOriginReadsAPrivateStreamWithItsCookie() throws Exception {
        String origin = "https://app.example.com";
        startPrivate(Map.of("ssehub.allowedOrigins", origin));
        Map<String, String> headers = new HashMap<>(cookie(Tokens.reading(SECRET, "user.7")));
        headers.put("Origin", origin);
        try (SseConnection stream = open("stream?topic=user.7", headers)) {
            assertEquals(200, stream.status());
            assertEquals(origin, stream.header("Access-Control-Allow-Origin"));
            assertEquals("true", stream.header("Access-Control-Allow-Credentials"));
        }
        headers.put("Origin", "https://evil.example.com");
        try (SseConnection stream = open("stream?topic=user.7", headers)) {
            assertNull(stream.header("Access-Control-Allow-Origin"), "its page cannot read the stream");
        }
    }

    @Test
    void aTokenPublishesOnlyToItsTopicsAndTheStaticTokenEverywhere() throws Exception {
        startPrivate(Map.of("ssehub.publishToken", PUBLISH_TOKEN));
        String chatPublisher = Tokens.hs256(SECRET, Tokens.grants(null, List.of("chat.*"), Duration.ofMinutes(5)));

        PublishClient.publish(container.baseUri(), chatPublisher, "chat.room", null, "hello");
        Http.Reply other = PublishClient.post(container.baseUri(), chatPublisher, "news", null, "x");
        assertRefused(403, SCOPE, "the token does not grant publish to topic 'news'\n", other);
        Http.Reply reader = PublishClient.post(container.baseUri(), Tokens.reading(SECRET, "*"), "news", null, "x");
        assertRefused(403, SCOPE, "the token grants no publishing\n", reader);
        Http.Reply expired = PublishClient.post(container.baseUri(), Tokens.hs256(SECRET,
                Tokens.grants(null, List.of("*"), Duration.ofMinutes(-5))), "news", null, "x");
        assertRefused(401, INVALID, "invalid token: the token has expired\n", expired);
        PublishClient.publish(container.baseUri(), PUBLISH_TOKEN, "user.42", null, "static token: anywhere");
        assertRefused(401, INVALID, "wrong publish token\n",
                PublishClient.post(container.baseUri(), "nope", "news", null, "x"));
    }

    @Test
    void withKeysButNoPublishTokenTokensStillPublish() throws Exception {
        startPrivate(Map.of());
        String publisher = Tokens.hs256(SECRET, Tokens.grants(null, List.of("news"), Duration.ofMinutes(5)));
        PublishClient.publish(container.baseUri(), publisher, "news", null, "by token");
        assertRefused(401, INVALID, "wrong publish token\n",
                PublishClient.post(container.baseUri(), "plain-words", "news", null, "x"));
    }
}
