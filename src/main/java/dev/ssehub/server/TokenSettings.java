package dev.ssehub.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Signed tokens (JWT) and private topics: the key that verifies tokens, the algorithm it pins (HS256 for
 * {@code jwtSecret}; RS256 or ES256 for the public keys in {@code jwtKeys}), the claims required of every token,
 * the topics that need a grant, and whether a token may come in the query string.
 *
 * @param secret          the HMAC secret (HS256), or null
 * @param keys            a PEM or JWKS file of public keys (RS256, ES256), or null
 * @param clockSkewMillis how far {@code exp} and {@code nbf} may be off the server's clock
 */
record TokenSettings(String secret, Path keys, String issuer, String audience, long clockSkewMillis,
        TopicPatterns privateTopics, List<String> privateTopicsText, boolean allowQueryToken) {

    /** HS256 keys shorter than its hash are weaker than the algorithm (RFC 7518, section 3.2). */
    static final int MIN_SECRET_BYTES = 32;

    static TokenSettings parse(String secret, String keys, String issuer, String audience, long clockSkewMillis,
            List<String> privateTopics, boolean allowQueryToken) {
        if (secret != null && keys != null) {
            throw new IllegalArgumentException("set one of ssehub.jwtSecret (HS256) and ssehub.jwtKeys (RS256, ES256), "
                    + "not both: the algorithm is pinned by which one is set");
        }
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("ssehub.jwtSecret must be at least " + MIN_SECRET_BYTES
                    + " bytes for HS256, got " + secret.getBytes(StandardCharsets.UTF_8).length
                    + ": use a random secret such as `openssl rand -base64 32`");
        }
        TopicPatterns patterns;
        try {
            patterns = TopicPatterns.parse(privateTopics);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ssehub.privateTopics: " + e.getMessage());
        }
        if (!patterns.isEmpty() && secret == null && keys == null) {
            throw new IllegalArgumentException("ssehub.privateTopics needs ssehub.jwtSecret or ssehub.jwtKeys "
                    + "to verify the tokens that grant them");
        }
        return new TokenSettings(secret, keys == null ? null : Path.of(keys), issuer, audience, clockSkewMillis,
                patterns, List.copyOf(privateTopics), allowQueryToken);
    }

    /** Whether tokens are verified at all: a secret or keys are configured. */
    boolean enabled() {
        return secret != null || keys != null;
    }

    /** For the start-up line: never the secret. */
    String summary() {
        if (!enabled()) {
            return "tokens off";
        }
        return "tokens " + (secret != null ? "HS256" : "from " + keys) + ", private topics "
                + (privateTopicsText.isEmpty() ? "none" : String.join(",", privateTopicsText))
                + (allowQueryToken ? ", query tokens on" : "");
    }

    // A record would print the secret wherever the settings are logged.
    @Override
    public String toString() {
        return summary();
    }
}
