package dev.ssehub.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Signed tokens for tests, made with the same library an application would use to issue them. */
public final class Tokens {

    private Tokens() {
    }

    /** Claims valid for {@code ttl} from now, granting the given subscribe and publish patterns (null: absent). */
    public static JWTClaimsSet.Builder grants(List<String> subscribe, List<String> publish, Duration ttl) {
        Map<String, Object> grants = new LinkedHashMap<>();
        if (subscribe != null) {
            grants.put("subscribe", subscribe);
        }
        if (publish != null) {
            grants.put("publish", publish);
        }
        return new JWTClaimsSet.Builder().subject("test-user").claim("ssehub", grants)
                .expirationTime(Date.from(Instant.now().plus(ttl)));
    }

    /** A token that may read these topic patterns for ten minutes, signed with the HS256 secret. */
    public static String reading(String secret, String... patterns) {
        return hs256(secret, grants(List.of(patterns), null, Duration.ofMinutes(10)));
    }

    public static String hs256(String secret, JWTClaimsSet.Builder claims) {
        return hs256(secret.getBytes(StandardCharsets.UTF_8), claims);
    }

    public static String hs256(byte[] secret, JWTClaimsSet.Builder claims) {
        try {
            return sign(new MACSigner(secret), JWSAlgorithm.HS256, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String rs256(RSAKey key, JWTClaimsSet.Builder claims) {
        try {
            return sign(new RSASSASigner(key), JWSAlgorithm.RS256, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey newRsaKey() {
        try {
            return new RSAKeyGenerator(2048).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public half as PEM (SubjectPublicKeyInfo), as an operator would put it in ssehub.jwtKeys. */
    public static String publicPem(RSAKey key) {
        try {
            return "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.toRSAPublicKey().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token's parts with the payload replaced, the header and signature kept: a forgery. */
    public static String withPayload(String token, String payloadJson) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + base64Url(payloadJson) + "." + parts[2];
    }

    /** An unsigned token ({@code alg: none}) with this payload. */
    public static String unsigned(String payloadJson) {
        return base64Url("{\"alg\":\"none\"}") + "." + base64Url(payloadJson) + ".";
    }

    public static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm, JWTClaimsSet.Builder claims)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }
}
