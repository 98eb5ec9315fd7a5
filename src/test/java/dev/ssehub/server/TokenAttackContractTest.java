package dev.ssehub.server;

import com.nimbusds.jose.jwk.RSAKey;
import dev.ssehub.testkit.Http;
import dev.ssehub.testkit.ServletContainer;
import dev.ssehub.testkit.SseConnection;
import dev.ssehub.testkit.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Forged, stale and oversized tokens: each is refused with 401 invalid_token and a reason, and no stream opens. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "tomcat"})
class TokenAttackContractTest extends ContainerTest {

    private static final String SECRET = PrivateTopicsContractTest.SECRET;
    private static final String ISSUER = "https://login.example.com";
    private static final String AUDIENCE = "ssehub";

    private Http.Reply read(String topic, String token) throws Exception {
        return Http.send("GET", container.uri("stream?topic=" + topic), Map.of("Authorization", "Bearer " + token),
                null, null);
    }

    private void assertInvalid(String reason, Http.Reply reply) {
        assertEquals(401, reply.status(), reply.body());
        assertEquals("Bearer realm=\"ssehub\", error=\"invalid_token\"", reply.header("WWW-Authenticate"));
        assertEquals("invalid token: " + reason + "\n", reply.body());
    }

    private static com.nimbusds.jwt.JWTClaimsSet.Builder valid(String... subscribe) {
        return Tokens.grants(List.of(subscribe), null, Duration.ofMinutes(5)).issuer(ISSUER).audience(AUDIENCE);
    }

    private void startWithSecret() throws Exception {
        // A large header block, so that a 16 KiB token reaches ssehub instead of being refused by the container.
        start(Map.of("ssehub.tickInterval", "0", "ssehub.jwtSecret", SECRET, "ssehub.privateTopics", "user.*",
                "ssehub.jwtIssuer", ISSUER, "ssehub.jwtAudience", AUDIENCE,
                ServletContainer.REQUEST_HEADER_SIZE, "65536"));
    }

    @Test
    void forgedTokensAreRefused() throws Exception {
        startWithSecret();
        String genuine = Tokens.hs256(SECRET, valid("user.4"));
        assertEquals(200, open("stream?topic=user.4", Map.of("Authorization", "Bearer " + genuine)).status());

        String everything = "{\"sub\":\"test-user\",\"ssehub\":{\"subscribe\":[\"*\"]},\"exp\":"
                + Instant.now().plusSeconds(300).getEpochSecond() + ",\"iss\":\"" + ISSUER + "\",\"aud\":\""
                + AUDIENCE + "\"}";
        assertInvalid("the token is not signed (alg none)", read("user.42", Tokens.unsigned(everything)));
        assertInvalid("the signature does not match", read("user.42", Tokens.withPayload(genuine, everything)));
        assertInvalid("the signature does not match",
                read("user.42", Tokens.hs256("another-secret-of-at-least-32-bytes", valid("user.42"))));
        assertInvalid("the token is not a JWT", read("user.42", "abc.def.ghi"));
        assertInvalid("claim 'ssehub' must be an object with subscribe and publish",
                read("user.42", Tokens.hs256(SECRET, valid().claim("ssehub", "user.42"))));
        assertInvalid("ssehub.subscribe: 'user*' is not a topic name, prefix.* or *",
                read("user.42", Tokens.hs256(SECRET, valid("user*"))));
        assertEquals(1, hub().subscriberCount(), "only the genuine stream");
    }

    @Test
    void staleMisaddressedAndOversizedTokensAreRefused() throws Exception {
        startWithSecret();
        Date fiveMinutesAgo = Date.from(Instant.now().minusSeconds(300));
        Date inFiveMinutes = Date.from(Instant.now().plusSeconds(300));

        assertInvalid("the token has expired",
                read("user.4", Tokens.hs256(SECRET, valid("user.4").expirationTime(fiveMinutesAgo))));
        assertInvalid("the token is not valid yet (nbf)",
                read("user.4", Tokens.hs256(SECRET, valid("user.4").notBeforeTime(inFiveMinutes))));
        assertInvalid("the token lacks a required claim: [exp]",
                read("user.4", Tokens.hs256(SECRET, valid("user.4").expirationTime(null))));
        assertInvalid("the token's issuer (iss) is not the one configured",
                read("user.4", Tokens.hs256(SECRET, valid("user.4").issuer("https://evil.example.com"))));
        assertInvalid("the token's audience (aud) is not the one configured",
                read("user.4", Tokens.hs256(SECRET, valid("user.4").audience("another-service"))));
        String huge = Tokens.hs256(SECRET, valid("user.4").claim("padding", "x".repeat(16 * 1024)));
        assertInvalid("the token is longer than 8192 bytes", read("user.4", huge));
        assertEquals(0, hub().subscriberCount());
    }

    @Test
    void withPublicKeysAnHmacTokenSignedWithThePublicKeyIsRefused() throws Exception {
        RSAKey key = Tokens.newRsaKey();
        Path pem = Files.createTempFile("ssehub-keys", ".pem");
        Files.writeString(pem, Tokens.publicPem(key));
        start(Map.of("ssehub.tickInterval", "0", "ssehub.jwtKeys", pem.toString(), "ssehub.privateTopics", "user.*"));
        Map<String, String> rs256 = new HashMap<>(Map.of("Authorization",
                "Bearer " + Tokens.rs256(key, Tokens.grants(List.of("user.4"), null, Duration.ofMinutes(5)))));
        try (SseConnection stream = open("stream?topic=user.4", rs256)) {
            assertEquals(200, stream.status());
        }

        // Algorithm confusion: the public key, which anyone may know, used as an HMAC secret.
        String confused = Tokens.hs256(Tokens.publicPem(key).getBytes(StandardCharsets.UTF_8),
                Tokens.grants(List.of("*"), null, Duration.ofMinutes(5)));
        assertInvalid("the token is signed with HS256; this server accepts RS256 only", read("user.4", confused));
        Files.delete(pem);
    }
}
