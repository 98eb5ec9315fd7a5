package dev.ssehub.server;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.ssehub.testkit.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What stops the start: a weak secret, two keys at once, private topics nobody can be granted, unusable key files. */
class TokenSettingsTest {

    @TempDir
    Path directory;

    private static String refusal(Map<String, String> values) {
        return assertThrows(IllegalArgumentException.class,
                () -> TokenVerifier.create(Settings.load(values::get).tokens())).getMessage();
    }

    @Test
    void aSecretShorterThan32BytesIsRefused() {
        assertEquals("ssehub.jwtSecret must be at least 32 bytes for HS256, got 31: use a random secret such as "
                + "`openssl rand -base64 32`", refusal(Map.of("jwtSecret", "x".repeat(31))));
    }

    @Test
    void oneKeyKindOnlyAndPrivateTopicsNeedOne() {
        assertEquals("set one of ssehub.jwtSecret (HS256) and ssehub.jwtKeys (RS256, ES256), not both: the algorithm "
                + "is pinned by which one is set", refusal(Map.of("jwtSecret", "x".repeat(32), "jwtKeys", "k.pem")));
        assertEquals("ssehub.privateTopics needs ssehub.jwtSecret or ssehub.jwtKeys to verify the tokens that grant "
                + "them", refusal(Map.of("privateTopics", "user.*")));
        assertEquals("ssehub.privateTopics: 'user*' is not a topic name, prefix.* or *",
                refusal(Map.of("jwtSecret", "x".repeat(32), "privateTopics", "user*")));
    }

    @Test
    void theKeysFileHoldsUsablePublicKeysOnly() throws Exception {
        Path keys = directory.resolve("keys.json");
        RSAKey rsa = Tokens.newRsaKey();
        Files.writeString(keys, new JWKSet(rsa).toString(false)); // with its private part
        assertEquals("ssehub.jwtKeys holds a private key: give the server public keys only",
                refusal(Map.of("jwtKeys", keys.toString())));
        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        Files.writeString(keys, new JWKSet(new RSAKey.Builder((RSAPublicKey) weak.generateKeyPair().getPublic())
                .build()).toString());
        assertEquals("ssehub.jwtKeys: RSA key has 1024 bits; at least 2048 are required",
                refusal(Map.of("jwtKeys", keys.toString())));
        Files.writeString(keys, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertEquals("ssehub.jwtKeys: a PEM block 'RSA PRIVATE KEY' cannot be used: give PUBLIC KEY "
                + "(SubjectPublicKeyInfo) or CERTIFICATE blocks", refusal(Map.of("jwtKeys", keys.toString())));
    }

    @Test
    void rsaAndP256KeysPinRs256AndEs256() throws Exception {
        Path keys = directory.resolve("keys.json");
        Files.writeString(keys, new JWKSet(java.util.List.of(Tokens.newRsaKey().toPublicJWK(),
                new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate().toPublicJWK())).toString());
        TokenSettings settings = Settings.load(Map.of("jwtKeys", keys.toString())::get).tokens();
        assertEquals(java.util.Set.of("RS256", "ES256"), TokenKeys.file(settings.keys()).algorithms().stream()
                .map(Object::toString).collect(java.util.stream.Collectors.toSet()));
        assertTrue(settings.enabled());
        assertFalse(Settings.load(key -> null).tokens().enabled());
    }

    @Test
    void theStartLineNamesTheKeysButNeverTheSecret() {
        Settings settings = Settings.load(Map.of("jwtSecret", "s".repeat(40), "privateTopics", "user.*,admin")::get);
        assertTrue(settings.summary().endsWith(", tokens HS256, private topics user.*,admin"), settings.summary());
        assertFalse(settings.toString().contains("s".repeat(40)), "the secret is never printed");
    }
}
