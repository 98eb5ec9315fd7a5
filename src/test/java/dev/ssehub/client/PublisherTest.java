package dev.ssehub.client;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.Hub;
import dev.ssehub.server.RunningHub;
import dev.ssehub.testkit.ServletContainer;
import dev.ssehub.testkit.Tokens;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Publisher} and {@code ssehub-client.jar publish} against the ssehub webapp on embedded Jetty. */
class PublisherTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String TOKEN = "publisher-test-token";
    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!";

    private static ServletContainer container;
    private static Hub hub;
    private static URI publishUri;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void startServer() throws Exception {
        container = ServletContainer.start("jetty", Map.of("ssehub.tickInterval", "0", "ssehub.publishToken", TOKEN,
                "ssehub.jwtSecret", SECRET, "ssehub.maxEventBytes", "1024"));
        hub = RunningHub.of(container);
        publishUri = container.uri("publish");
    }

    @AfterAll
    static void stopServer() throws Exception {
        container.close();
        assertEquals(List.of(), ClientThreads.alive(), "client threads left behind");
    }

    @Test
    void publishAnswersTheIdTheHubGaveTheEventAndReadersGetItWithItsType() throws Exception {
        EventId before = hub.publish("pub-a", null, "before");
        String plain;
        String named;
        try (Publisher publisher = Publisher.builder(publishUri).token(TOKEN).build()) {
            plain = publisher.publish("pub-a", "hello");
            named = publisher.publish(Publication.of("pub-a", "disk 91% full\nhost db-2").withType("alert"));
        }

        assertEquals(after(before, 1), plain);
        assertEquals(after(before, 2), named);
        ClientRecorder recorder = new ClientRecorder();
        try (EventSourceClient reader = EventSourceClient.builder(container.uri("stream?topic=pub-a"))
                .lastEventId(before.toString()).listener(recorder).connect()) {
            assertEquals(List.of(new SseEvent(plain, null, "hello", null, null),
                    new SseEvent(named, "alert", "disk 91% full\nhost db-2", null, null)),
                    recorder.awaitEvents(2, TIMEOUT));
        }
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAnswersTheFirstIdAndPublishesNothing() throws Exception {
        EventId before = hub.publish("pub-b", null, "before");
        try (Publisher publisher = Publisher.builder(publishUri).token(TOKEN).build()) {
            Publication once = Publication.of("pub-b", "paid").withIdempotencyKey("order-42-paid");

            assertEquals(after(before, 1), publisher.publish(once));
            assertEquals(after(before, 1), publisher.publish(once));
        }
        assertEquals(after(before, 2), hub.publish("pub-b", null, "next").toString(), "the retry published nothing");
    }

    @Test
    void refusalsCarryTheStatusAndTheServersOneLineReason() throws Exception {
        String otherTopic = Tokens.hs256(SECRET, Tokens.grants(null, List.of("news"), Duration.ofMinutes(5)));
        try (Publisher wrong = Publisher.builder(publishUri).token("nope").build();
                Publisher none = Publisher.builder(publishUri).build();
                Publisher granted = Publisher.builder(publishUri).token(otherTopic).build();
                Publisher right = Publisher.builder(publishUri).token(TOKEN).build()) {
            assertRefused(401, "wrong publish token", () -> wrong.publish("pub-c", "x"));
            assertRefused(401, "missing Authorization: Bearer <token>", () -> none.publish("pub-c", "x"));
            assertRefused(403, "the token does not grant publish to topic 'pub-c'", () -> granted.publish("pub-c", "x"));
            assertRefused(413, "the body is larger than 1024 bytes (ssehub.maxEventBytes)",
                    () -> right.publish("pub-c", "x".repeat(2000)));
            assertRefused(400, "Idempotency-Key must be 1 to 128 visible ASCII characters",
                    () -> right.publish(Publication.of("pub-c", "x").withIdempotencyKey("k".repeat(129))));
        }
    }

    @Test
    void theCommandLinePrintsTheIdWithDataFromTheOptionOrStdinAndTheTokenFromTheEnvironment() {
        EventId before = hub.publish("pub-d", null, "before");

        assertEquals(new Run(0, after(before, 1) + "\n", ""), run(null, "",
                "publish", "--topic", "pub-d", "--data", "hello", "--token", TOKEN, publishUri.toString()));
        assertEquals(new Run(0, after(before, 2) + "\n", ""), run(TOKEN, "line 1\nline 2\n",
                "publish", "--topic=pub-d", "--event", "note", "--idempotency-key", "k-1", publishUri.toString()));
        assertEquals(new Run(0, after(before, 2) + "\n", ""), run(TOKEN, "line 1\nline 2\n",
                "publish", "--topic=pub-d", "--event", "note", "--idempotency-key", "k-1", publishUri.toString()));
        ClientRecorder recorder = new ClientRecorder();
        try (EventSourceClient reader = EventSourceClient.builder(container.uri("stream?topic=pub-d"))
                .lastEventId(before.toString()).listener(recorder).connect()) {
            assertEquals(new SseEvent(after(before, 2), "note", "line 1\nline 2", null, null),
                    recorder.awaitEvents(2, TIMEOUT).get(1), "stdin without its last newline");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theCommandLineExitsWith4AndTheServersReasonOnARefusal() {
        assertEquals(new Run(4, "", "ssehub-client: " + publishUri + " answered HTTP 401: wrong publish token\n"),
                run("nope", "", "publish", "--topic", "pub-e", "--data", "x", publishUri.toString()));
        assertEquals(new Run(4, "", "ssehub-client: " + publishUri + " answered HTTP 413: the body is larger than "
                + "1024 bytes (ssehub.maxEventBytes)\n"),
                run(TOKEN, "x".repeat(2000), "publish", "--topic", "pub-e", publishUri.toString()));
    }

    @Test
    void theCommandLineExitsWith3WhenNothingListensAnd2OnBadUsage() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/publish";

        assertEquals(new Run(3, "", "ssehub-client: cannot connect to " + url + ": connection refused\n"),
                run(TOKEN, "", "publish", "--topic", "t", "--data", "x", url));
        assertEquals(new Run(2, "", "ssehub-client: publish: --topic is required (see publish --help)\n"),
                run(TOKEN, "", "publish", "--data", "x", url));
        assertEquals(new Run(2, "", "ssehub-client: publish: unknown option --count (see publish --help)\n"),
                run(TOKEN, "", "publish", "--topic", "t", "--count", "1", url));
    }

    @Test
    void withoutAUrlTheCommandLinePublishesToLocalhost8080() throws Exception {
        assertEquals(URI.create("http://localhost:8080/publish"),
                PublishCommand.parse(new String[] {"--topic", "t", "--data", "x"}, null).uri());
    }

    private static String after(EventId id, int n) {
        return new EventId(id.epoch(), id.sequence() + n).toString();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertRefused(int status, String reason, Call call) {
        HttpStatusException e = assertThrows(HttpStatusException.class, call::run);
        assertEquals(status + " " + reason, e.status() + " " + e.reason());
    }

    private static Run run(String environmentToken, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, environmentToken, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
