package dev.ssehub.client;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ssehub.hub.EventId;
import dev.ssehub.hub.Hub;
import dev.ssehub.server.RunningHub;
import dev.ssehub.testkit.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ssehub.client.ScriptedServer.answer;
import static dev.ssehub.client.ScriptedServer.noContent;
import static dev.ssehub.client.ScriptedServer.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line run in-process ({@link Main#run}) against the ssehub webapp on Jetty and raw socket servers. */
class CommandLineTest {

    private static ServletContainer container;
    private static Hub hub;

    record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    @BeforeAll
    static void startServer() throws Exception {
        container = ServletContainer.start("jetty", Map.of("ssehub.tickInterval", "0"));
        hub = RunningHub.of(container);
    }

    @AfterAll
    static void stopServer() throws Exception {
        container.close();
        assertEquals(List.of(), ClientThreads.alive(), "client threads left behind");
    }

    @Test
    void printsReceivedEventLinesLikeThePythonClientAndStopsAfterCount() {
        EventId before = hub.publish("cli-plain", null, "not printed: it precedes --last-event-id");
        hub.publish("cli-plain", null, "2024-05-01 12:00:00");
        hub.publish("cli-plain", "update", "second");
        hub.publish("cli-plain", null, "beyond --count");

        Run run = run("--topic", "cli-plain", "--last-event-id", before.toString(), "--count", "2",
                container.uri("stream").toString());

        assertEquals(new Run(0, "Received event: 2024-05-01 12:00:00\nReceived event: second\n", ""), run);
    }

    @Test
    void jsonPrintsOneObjectALineThatAJsonParserReadsBack() {
        EventId before = hub.publish("cli-json", null, "before");
        List<String> data = List.of("plain", "quote \" backslash \\ tab \t", "line 1\nline 2",
                "control \u0001 \u001f del \u007f separators \u2028\u2029", "naïve ✓ \uD83D\uDE00");
        List<EventId> ids = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            ids.add(hub.publish("cli-json", i == 1 ? "quoted" : null, data.get(i)));
        }

        Run run = run("--json", "--topic=cli-json", "--last-event-id=" + before, "--count=" + data.size(),
                container.uri("stream").toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("{\"id\":\"" + ids.get(0) + "\",\"event\":\"message\",\"data\":\"plain\"}", run.lines().get(0));
        assertEquals(data.size(), run.lines().size());
        for (int i = 0; i < data.size(); i++) {
            JsonObject object = JsonParser.parseString(run.lines().get(i)).getAsJsonObject();
            assertEquals(ids.get(i).toString(), object.get("id").getAsString());
            assertEquals(i == 1 ? "quoted" : "message", object.get("event").getAsString());
            assertEquals(data.get(i), object.get("data").getAsString());
            assertEquals(3, object.size());
        }
    }

    @Test
    void repeatedTopicsSubscribeOneConnectionToEach() {
        EventId before = hub.publish("cli-a", null, "before");
        hub.publish("cli-a", null, "to a");
        hub.publish("cli-c", null, "to c, not asked for");
        hub.publish("cli-b", null, "to b");

        Run run = run("--topic", "cli-a", "--topic", "cli-b", "--last-event-id", before.toString(), "--count", "2",
                container.uri("stream").toString());

        assertEquals(new Run(0, "Received event: to a\nReceived event: to b\n", ""), run);
    }

    @Test
    void aRefusedTopicExitsWith4AndPrintsTheServersReason() {
        URI uri = container.uri("stream");

        Run run = run("--topic", "no way", uri.toString());

        assertEquals(new Run(4, "", "ssehub-client: " + uri + "?topic=no+way answered HTTP 400: invalid topic name "
                + "'no way': 1 to 64 characters of A-Z a-z 0-9 _ . -\n"), run);
    }

    @Test
    void aMissingPageExitsWith4() {
        URI uri = container.uri("no-such-page");

        assertEquals(new Run(4, "", "ssehub-client: " + uri + " answered HTTP 404: Not Found\n"), run(uri.toString()));
    }

    @Test
    void aRefusedConnectionExitsWith3() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // free once closed: nothing listens there
        }
        String url = "http://127.0.0.1:" + port + "/stream";

        assertEquals(new Run(3, "", "ssehub-client: cannot connect to " + url + ": connection refused\n"), run(url));
    }

    @Test
    void anAnswerThatIsNotAnEventStreamExitsWith5() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(answer("200 OK", "text/html", "<html></html>"))) {
            String url = server.uri("/stream").toString();

            assertEquals(new Run(5, "", "ssehub-client: " + url
                    + " is not an event stream: Content-Type text/html, expected text/event-stream\n"), run(url));
        }
    }

    @Test
    void aServerErrorExitsWith4() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(answer("503 Service Unavailable", "text/plain", "busy\n"))) {
            String url = server.uri("/stream").toString();

            assertEquals(new Run(4, "", "ssehub-client: " + url + " answered HTTP 503: busy\n"), run(url));
        }
    }

    @Test
    void a204ExitsWith0() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(noContent())) {
            assertEquals(new Run(0, "", "ssehub-client: the server asked the client to stop (HTTP 204)\n"),
                    run(server.uri("/stream").toString()));
        }
    }

    @Test
    void aDroppedStreamIsNotedOnStderrAndResumed() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(
                stream("retry: 10\n\nid: 1\ndata: one\n\n"), stream("id: 2\ndata: two\n\n"))) {
            Run run = run("--count", "2", server.uri("/stream").toString());

            assertEquals(new Run(0, "Received event: one\nReceived event: two\n",
                    "ssehub-client: the server ended the stream; reconnecting\n"), run);
            assertEquals("1", server.requests().get(1).header("Last-Event-ID"));
        }
    }

    @Test
    void multiLineDataSaysHowManyLinesFollowAndIndentsThem() {
        EventId before = hub.publish("cli-lines", null, "before");
        hub.publish("cli-lines", null, "line 1\nReceived event: line 2\n\nline 4");
        hub.publish("cli-lines", null, "single");

        Run run = run("--topic", "cli-lines", "--last-event-id", before.toString(), "--count", "2",
                container.uri("stream").toString());

        assertEquals(new Run(0, "Received event (4 lines):\n  line 1\n  Received event: line 2\n  \n  line 4\n"
                + "Received event: single\n", ""), run);
    }

    @Test
    void theMissedNoticeIsOneLineOnStderrNamingItsReasonAndIsNoEvent() {
        hub.publish("cli-missed", null, "already there");

        Run run = run("--topic", "cli-missed", "--last-event-id", "1-5", "--count", "1", "--timeout", "1s",
                container.uri("stream").toString());

        assertEquals(new Run(6, "", "ssehub-client: events were missed: the server cannot replay what came after "
                + "1-5 (unknown); going on with live events\n"
                + "ssehub-client: timed out after 1s (0 of 1 events)\n"), run);
    }

    @Test
    void theMissedNoticeStaysAJsonLineWithJson() throws Exception {
        String missed = "id: 9\nevent: missed\ndata: {\"lastEventId\":\"12345\",\"reason\":\"malformed\"}\n\n";
        try (ScriptedServer server = ScriptedServer.start(stream("retry: 10\n\n" + missed + "id: 10\ndata: live\n\n"),
                stream(missed + "id: 10\ndata: live\n\n"))) {
            String url = server.uri("/stream").toString();

            assertEquals(new Run(0, "Received event: live\n", "ssehub-client: events were missed: the server cannot "
                    + "replay what came after 12345 (malformed); going on with live events\n"), run("--count", "1", url));
            assertEquals(new Run(0, "{\"id\":\"9\",\"event\":\"missed\",\"data\":\"{\\\"lastEventId\\\":\\\"12345\\\","
                    + "\\\"reason\\\":\\\"malformed\\\"}\"}\n", ""), run("--json", "--count", "1", url));
        }
    }

    @Test
    void beingTurnedAwaySaysThatTheServerIsFullAndForHowLong() throws Exception {
        // ssehub's answer to an EventSource when it is full: 200, a jittered retry: and the end of the stream.
        try (ScriptedServer server = ScriptedServer.start(stream("retry: 300\n\n"),
                stream("retry: 10\n\ndata: back\n\n"))) {
            Run run = run("--count", "1", server.uri("/stream").toString());

            assertEquals(new Run(0, "Received event: back\n",
                    "ssehub-client: the server turned the client away (it is full); reconnecting in 300 ms\n"), run);
        }
    }

    @Test
    void a503WithRetryAfterSaysWhenToComeBack() throws Exception {
        String reason = "too many streams: try again later (ssehub.maxStreams)\n";
        try (ScriptedServer server = ScriptedServer.start((socket, out) -> out.write(ScriptedServer.bytes(
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 12\r\n"
                        + "Content-Length: " + reason.length() + "\r\nConnection: close\r\n\r\n" + reason)))) {
            String url = server.uri("/stream").toString();

            assertEquals(new Run(4, "", "ssehub-client: " + url + " answered HTTP 503: too many streams: try again later "
                    + "(ssehub.maxStreams); the server asks to come back in 12 s\n"), run(url));
        }
    }

    @Test
    void aBrokenConnectionIsSaidPlainlyWithoutTransportDetails() throws Exception {
        // A chunk that is not followed by CRLF: httpclient calls it "CRLF expected at end of chunk".
        String events = "retry: 10\n\ndata: one\n\n";
        try (ScriptedServer server = ScriptedServer.start((socket, out) -> out.write(ScriptedServer.bytes(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(events.length()) + "\r\n" + events + "\r\n5\r\ndata:XX")),
                noContent())) {
            Run run = run(server.uri("/stream").toString());

            assertEquals(new Run(0, "Received event: one\n", "ssehub-client: the connection broke; reconnecting\n"
                    + "ssehub-client: the server asked the client to stop (HTTP 204)\n"), run);
        }
    }

    @Test
    void theTimeoutExitsWith6() {
        Run run = run("--timeout", "300ms", "--count", "1", "--topic", "cli-silent", container.uri("stream").toString());

        assertEquals(new Run(6, "", "ssehub-client: timed out after 300ms (0 of 1 events)\n"), run);
    }

    @Test
    void usageErrorsExitWith2AndSayWhatIsWrong() {
        String url = "http://127.0.0.1:1/stream";
        Map<List<String>, String> cases = Map.of(
                List.of(), "no URL given",
                List.of("--count", "0", url), "--count must be a positive whole number, not '0'",
                List.of("--timeout", "soon", url), "--timeout must be a positive time such as 500ms, 10s or 2m, not 'soon'",
                List.of("--bogus", url), "unknown option --bogus",
                List.of("--json=yes", url), "unknown option --json=yes",
                List.of(url, "--topic"), "--topic needs a value",
                List.of("ftp://example.org/"), "not an http or https URL: ftp://example.org/",
                List.of(url, url), "one URL only, got " + url + " and " + url);
        cases.forEach((args, message) -> assertEquals(
                new Run(2, "", "ssehub-client: " + message + " (see --help)\n"), run(args.toArray(String[]::new)),
                String.join(" ", args)));
    }

    @Test
    void helpPrintsTheOptionsAndTheExitCodes() {
        Run run = run("--help");

        assertEquals(0, run.exitCode());
        assertEquals(CommandLine.USAGE, run.out());
        for (String option : List.of("--topic", "--last-event-id", "--json", "--count", "--timeout", "--help")) {
            assertTrue(run.out().contains("  " + option), option);
        }
        for (int code = 0; code <= 6; code++) {
            assertTrue(run.out().contains("\n  " + code + "  "), "exit code " + code);
        }
    }

    @Test
    void topicsAreAddedToAQueryThatIsAlreadyThere() throws Exception {
        CommandLine commandLine = CommandLine.parse("--topic", "a b", "--topic=c&d", "http://h:1/stream?x=1#top");

        assertEquals(URI.create("http://h:1/stream?x=1&topic=a+b&topic=c%26d#top"), commandLine.uri());
        assertEquals(Duration.ofMinutes(2), CommandLine.parse("--timeout", "2m", "http://h/").timeout());
        assertEquals(Duration.ofSeconds(10), CommandLine.parse("--timeout", "10", "http://h/").timeout());
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
