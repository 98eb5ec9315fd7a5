package dev.ssehub.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;

import java.text.ParseException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies a token with nimbus-jose-jwt: the signature with the configured key and pinned algorithm, then the claims
 * ({@code exp} required, {@code nbf}, and {@code iss} and {@code aud} when configured, all within the clock skew),
 * then the grants. Every refusal is an {@link Invalid} with a one-line reason that quotes nothing from the token.
 */
final class TokenVerifier {

    /** Longer tokens are refused before they are parsed; real ones are well under 2 KiB. */
    static final int MAX_TOKEN_CHARS = 8192;

    /** A token that may not be used, and why, in a few words. */
    static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A valid token: what it grants, and until when (its {@code exp} plus the clock skew). */
    record Verified(Grants grants, Instant validUntil) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Set<JWSAlgorithm> algorithms;
    private final long clockSkewMillis;

    private TokenVerifier(TokenSettings settings) {
        TokenKeys keys = settings.secret() != null ? TokenKeys.secret(settings.secret())
                : TokenKeys.file(settings.keys());
        this.algorithms = keys.algorithms();
        this.clockSkewMillis = settings.clockSkewMillis();
        processor.setJWSKeySelector(keys);
        // "JWT", none, and RFC 9068's access tokens ("at+jwt"), as identity providers issue them.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        Set<String> required = new HashSet<>(Set.of(JWTClaimNames.EXPIRATION_TIME));
        if (settings.issuer() != null) {
            exact.issuer(settings.issuer());
            required.add(JWTClaimNames.ISSUER);
        }
        if (settings.audience() != null) {
            required.add(JWTClaimNames.AUDIENCE);
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audience() == null ? null : Set.of(settings.audience()), exact.build(), required, null);
        claims.setMaxClockSkew((int) ((settings.clockSkewMillis() + 999) / 1000)); // the library counts seconds
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The verifier for these settings, or null when tokens are off; keys that cannot be used stop the start. */
    static TokenVerifier create(TokenSettings settings) {
        return settings.enabled() ? new TokenVerifier(settings) : null;
    }

    Verified verify(String token) throws Invalid {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new Invalid("the token is longer than " + MAX_TOKEN_CHARS + " bytes");
        }
        SignedJWT signed = signed(token);
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        if (!algorithms.contains(algorithm)) {
            throw new Invalid("the token is signed with " + algorithm + "; this server accepts " + algorithms.stream()
                    .map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", ")) + " only");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (BadJOSEException e) {
            throw new Invalid(reason(e));
        } catch (JOSEException e) {
            throw new Invalid("the token could not be verified: " + e.getMessage());
        }
        try {
            Grants grants = Grants.fromClaim(claims.getClaim(Grants.CLAIM));
            return new Verified(grants, claims.getExpirationTime().toInstant().plusMillis(clockSkewMillis));
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
    }

    private static SignedJWT signed(String token) throws Invalid {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new Invalid("the token is not a JWT");
        }
        if (jwt instanceof SignedJWT signed) {
            return signed;
        }
        throw new Invalid(jwt.getHeader().getAlgorithm().getName().equals("none")
                ? "the token is not signed (alg none)" : "the token is encrypted; ssehub takes signed tokens (JWS)");
    }

    // The library's reasons in the words of this API; anything unforeseen keeps the library's own.
    private static String reason(BadJOSEException e) {
        String message = e.getMessage();
        if (e instanceof ExpiredJWTException) {
            return "the token has expired";
        } else if (e instanceof BadJWSException) {
            return "the signature does not match";
        } else if (message.contains("missing required claims")) {
            return "the token lacks a required claim: " + message.substring(message.indexOf('['));
        } else if (message.contains("before use time")) {
            return "the token is not valid yet (nbf)";
        } else if (message.contains("iss claim")) {
            return "the token's issuer (iss) is not the one configured";
        } else if (message.contains("aud claim")) {
            return "the token's audience (aud) is not the one configured";
        } else if (message.contains("no matching key")) {
            return "no configured key matches the token's kid";
        }
        return "the token was refused: " + message;
    }
}
