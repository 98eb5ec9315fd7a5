package dev.ssehub.client;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ssehub.hub.EventId;
import dev.ssehub.hub.Hub;
import dev.ssehub.server.RunningHub;
import dev.ssehub.testkit.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token command mints a development token, and --token / SSEHUB_TOKEN read a private topic with it. */
class TokenCommandTest {

    private static final String SECRET = "a-development-secret-of-32-bytes-or-more";
    private static ServletContainer container;
    private static Hub hub;
    private static Path secretFile;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void startServer() throws Exception {
        container = ServletContainer.start("jetty", Map.of("ssehub.tickInterval", "0", "ssehub.jwtSecret", SECRET,
                "ssehub.privateTopics", "user.*"));
        hub = RunningHub.of(container);
        secretFile = Files.createTempFile("ssehub-secret", ".txt");
        Files.writeString(secretFile, SECRET + "\n"); // as `echo` writes it: the newline is not part of the secret
    }

    @AfterAll
    static void stopServer() throws Exception {
        container.close();
        Files.delete(secretFile);
    }

    @Test
    void theTokenCommandSignsTheGrantsForTheTtl() throws Exception {
        Run run = run(null, "token", "--secret-file", secretFile.toString(), "--subscribe", "user.42",
                "--subscribe", "chat.*", "--publish", "chat.*", "--ttl", "10m");

        assertEquals(0, run.exitCode(), run.err());
        SignedJWT jwt = SignedJWT.parse(run.out().trim());
        assertTrue(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8))), "signed with the secret");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals(Map.of("subscribe", List.of("user.42", "chat.*"), "publish", List.of("chat.*")),
                claims.getJSONObjectClaim("ssehub"));
        long ttl = Duration.between(Instant.now(), claims.getExpirationTime().toInstant()).toSeconds();
        assertTrue(ttl > 590 && ttl <= 600, "expires in ten minutes: " + ttl + " s");
    }

    @Test
    void theTokenCommandRefusesWhatCouldNotWork() {
        assertEquals(new Run(2, "", "ssehub-client: token: --subscribe takes a topic name, prefix.* or *, not 'user*' "
                + "(see token --help)\n"),
                run(null, "token", "--secret-file", secretFile.toString(), "--subscribe", "user*"));
        assertEquals(new Run(2, "", "ssehub-client: token: --secret-file is required (see token --help)\n"),
                run(null, "token", "--subscribe", "a"));
    }

    @Test
    void aTokenReadsAPrivateTopicFromTheOptionOrTheEnvironment() {
        EventId before = hub.publish("user.42", null, "before");
        hub.publish("user.42", null, "for 42");
        String token = run(null, "token", "--secret-file", secretFile.toString(), "--subscribe", "user.42")
                .out().trim();
        String url = container.uri("stream").toString();

        Run withOption = run(null, "--token", token, "--topic", "user.42", "--last-event-id", before.toString(),
                "--count", "1", url);
        Run withEnvironment = run(token, "--topic", "user.42", "--last-event-id", before.toString(),
                "--count", "1", url);
        Run without = run(null, "--topic", "user.42", "--count", "1", url);

        assertEquals(new Run(0, "Received event: for 42\n", ""), withOption);
        assertEquals(new Run(0, "Received event: for 42\n", ""), withEnvironment);
        assertEquals(4, without.exitCode());
        assertEquals("ssehub-client: " + url + "?topic=user.42 answered HTTP 401: topic 'user.42' is private: send a "
                + "token as Authorization: Bearer <token> or in the cookie ssehubAuthorization\n", without.err());
    }

    private static Run run(String environmentToken, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, environmentToken, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
