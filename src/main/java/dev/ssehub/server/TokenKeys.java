package dev.ssehub.server;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys that verify tokens and the algorithms they pin: an HMAC secret pins HS256; RSA public keys (2048 bits or
 * more) pin RS256 and EC P-256 keys ES256. A token's header only chooses among these keys (by {@code kid} when both
 * name one), never the algorithm family: an HS256 token meets no HMAC key when public keys are configured.
 */
final class TokenKeys implements JWSKeySelector<SecurityContext> {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final List<JWK> keys;
    private final SecretKeySpec secret;
    private final Set<JWSAlgorithm> algorithms;

    private TokenKeys(List<JWK> keys, SecretKeySpec secret, Set<JWSAlgorithm> algorithms) {
        this.keys = keys;
        this.secret = secret;
        this.algorithms = algorithms;
    }

    static TokenKeys secret(String secret) {
        return new TokenKeys(List.of(), new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                Set.of(JWSAlgorithm.HS256));
    }

    /** The public keys in a JWKS document ({@code {"keys": [...]}}) or in PEM blocks; refuses anything else. */
    static TokenKeys file(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("ssehub.jwtKeys: cannot read " + file + ": " + e);
        }
        List<JWK> keys = text.strip().startsWith("{") ? jwks(text) : pem(text);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("ssehub.jwtKeys: no key in " + file);
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (JWK key : keys) {
            algorithms.add(checked(key));
        }
        return new TokenKeys(List.copyOf(keys), null, Set.copyOf(algorithms));
    }

    /** The algorithms tokens may be signed with. */
    Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (!algorithms.contains(algorithm)) {
            return List.of();
        }
        if (secret != null) {
            return List.of(secret);
        }
        List<Key> candidates = new ArrayList<>();
        for (JWK key : keys) {
            boolean kidFits = header.getKeyID() == null || key.getKeyID() == null
                    || header.getKeyID().equals(key.getKeyID());
            if (kidFits && algorithmOf(key).equals(algorithm)) {
                candidates.add(publicKey(key));
            }
        }
        return candidates;
    }

    private static List<JWK> jwks(String text) {
        try {
            return JWKSet.parse(text).getKeys();
        } catch (ParseException e) {
            throw new IllegalArgumentException("ssehub.jwtKeys: not a JWKS document: " + e.getMessage());
        }
    }

    // Public keys (SubjectPublicKeyInfo) and certificates; a private key in the file is refused, not used.
    private static List<JWK> pem(String text) {
        List<JWK> keys = new ArrayList<>();
        Matcher block = PEM.matcher(text);
        while (block.find()) {
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            PublicKey key = switch (block.group(1)) {
                case "PUBLIC KEY" -> publicKeyOf(der);
                case "CERTIFICATE" -> certificateKeyOf(der);
                default -> throw new IllegalArgumentException("ssehub.jwtKeys: a PEM block '" + block.group(1)
                        + "' cannot be used: give PUBLIC KEY (SubjectPublicKeyInfo) or CERTIFICATE blocks");
            };
            keys.add(key instanceof RSAPublicKey rsa ? new RSAKey.Builder(rsa).build() : ecKey((ECPublicKey) key));
        }
        return keys;
    }

    private static JWK ecKey(ECPublicKey key) {
        Curve curve = Curve.forECParameterSpec(key.getParams());
        if (curve == null) {
            throw new IllegalArgumentException("ssehub.jwtKeys: an EC key on an unknown curve; ES256 needs P-256");
        }
        return new ECKey.Builder(curve, key).build();
    }

    private static PublicKey publicKeyOf(byte[] der) {
        for (String type : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisType) {
                // try the next type
            }
        }
        throw new IllegalArgumentException("ssehub.jwtKeys: a PUBLIC KEY block is neither an RSA nor an EC key");
    }

    private static PublicKey certificateKeyOf(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der))
                    .getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("ssehub.jwtKeys: a CERTIFICATE block does not parse: " + e.getMessage());
        }
    }

    private static JWSAlgorithm checked(JWK key) {
        if (key.isPrivate()) {
            throw new IllegalArgumentException("ssehub.jwtKeys holds a private key" + kid(key)
                    + ": give the server public keys only");
        }
        if (key instanceof RSAKey && key.size() < 2048) {
            throw new IllegalArgumentException("ssehub.jwtKeys: RSA key" + kid(key) + " has " + key.size()
                    + " bits; at least 2048 are required");
        }
        JWSAlgorithm algorithm = algorithmOf(key);
        if (algorithm == null) {
            throw new IllegalArgumentException("ssehub.jwtKeys: key" + kid(key) + " is not an RSA key nor an EC P-256 "
                    + "key (RS256, ES256); for HS256 set ssehub.jwtSecret instead");
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(algorithm.getName())) {
            throw new IllegalArgumentException("ssehub.jwtKeys: key" + kid(key) + " says alg " + key.getAlgorithm()
                    + "; ssehub verifies " + algorithm + " with it");
        }
        return algorithm;
    }

    private static JWSAlgorithm algorithmOf(JWK key) {
        if (key instanceof RSAKey) {
            return JWSAlgorithm.RS256;
        }
        if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            return JWSAlgorithm.ES256;
        }
        return null;
    }

    private static Key publicKey(JWK key) throws KeySourceException {
        try {
            return key instanceof RSAKey rsa ? rsa.toRSAPublicKey() : ((ECKey) key).toECPublicKey();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new KeySourceException("key" + kid(key) + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static String kid(JWK key) {
        return key.getKeyID() == null ? "" : " '" + key.getKeyID() + "'";
    }
}
