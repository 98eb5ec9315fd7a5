package dev.ssehub.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The publish token, checked against an {@code Authorization} header in constant time. */
final class BearerToken {

    private final byte[] expectedDigest;

    BearerToken(String token) {
        this.expectedDigest = sha256(token);
    }

    /** Whether the header is {@code Bearer <token>} (the scheme in any case, as RFC 9110 allows). */
    boolean matches(String authorization) {
        String token = credentials(authorization);
        // Comparing digests keeps the time independent of where the strings differ and of the token's length.
        return token != null && MessageDigest.isEqual(expectedDigest, sha256(token));
    }

    /** The token in a {@code Bearer <token>} header; null for no header, another scheme or an empty token. */
    static String credentials(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
