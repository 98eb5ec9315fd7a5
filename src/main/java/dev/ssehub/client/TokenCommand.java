package dev.ssehub.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code java -jar ssehub-client.jar token ...}: prints a development token signed with HS256 with the secret that
 * the server has as {@code ssehub.jwtSecret}. Real tokens come from the application that knows its users.
 */
final class TokenCommand {

    static final String USAGE = """
            Usage: java -jar ssehub-client.jar token --secret-file FILE [options]
            Prints a token signed with HS256, for development: the server must have the same secret as
            ssehub.jwtSecret (the file's text, without leading and trailing white space, at least 32 bytes).

            Options:
              --secret-file FILE   the HMAC secret (required)
              --subscribe P        may read topic P: a name, prefix.* or *; repeatable
              --publish P          may publish to topic P: a name, prefix.* or *; repeatable
              --ttl TIME           valid for TIME, such as 10m or 1h (default 1h; keep it short)
              --subject NAME       the sub claim (default dev)
              --issuer ISS         the iss claim, when the server requires ssehub.jwtIssuer
              --audience AUD       the aud claim, when the server requires ssehub.jwtAudience
              --help               print this help
            """;

    private static final Pattern TOPIC_PATTERN = Pattern.compile("\\*|[A-Za-z0-9_.-]{1,64}(\\.\\*)?");

    private TokenCommand() {
    }

    static ExitStatus run(String[] args, PrintStream out, PrintStream err) {
        try {
            String token = token(args, out);
            if (token != null) {
                out.println(token);
            }
            return ExitStatus.OK;
        } catch (CommandLine.UsageException e) {
            err.println(EventPrinter.PREFIX + "token: " + e.getMessage() + " (see token --help)");
            return ExitStatus.USAGE;
        }
    }

    // Null after --help, which prints the usage instead.
    private static String token(String[] args, PrintStream out) throws CommandLine.UsageException {
        Deque<String> queue = new ArrayDeque<>(List.of(args));
        Path secretFile = null;
        List<String> subscribe = new ArrayList<>();
        List<String> publish = new ArrayList<>();
        Duration ttl = Duration.ofHours(1);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("dev");
        while (!queue.isEmpty()) {
            String arg = queue.poll();
            switch (arg) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return null;
                }
                case "--secret-file" -> secretFile = Path.of(CommandLine.value(queue, arg));
                case "--subscribe" -> subscribe.add(pattern(CommandLine.value(queue, arg), arg));
                case "--publish" -> publish.add(pattern(CommandLine.value(queue, arg), arg));
                case "--ttl" -> ttl = CommandLine.duration(CommandLine.value(queue, arg), arg);
                case "--subject" -> claims.subject(CommandLine.value(queue, arg));
                case "--issuer" -> claims.issuer(CommandLine.value(queue, arg));
                case "--audience" -> claims.audience(CommandLine.value(queue, arg));
                default -> throw new CommandLine.UsageException("unknown option " + arg);
            }
        }
        if (secretFile == null) {
            throw new CommandLine.UsageException("--secret-file is required");
        }
        if (subscribe.isEmpty() && publish.isEmpty()) {
            throw new CommandLine.UsageException("grant something: --subscribe or --publish");
        }
        Map<String, Object> grants = new LinkedHashMap<>();
        if (!subscribe.isEmpty()) {
            grants.put("subscribe", subscribe);
        }
        if (!publish.isEmpty()) {
            grants.put("publish", publish);
        }
        Instant now = Instant.now();
        claims.issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl))).claim("ssehub", grants);
        return sign(secret(secretFile), claims.build());
    }

    private static String pattern(String value, String option) throws CommandLine.UsageException {
        if (!TOPIC_PATTERN.matcher(value).matches()) {
            throw new CommandLine.UsageException(option + " takes a topic name, prefix.* or *, not '" + value + "'");
        }
        return value;
    }

    private static byte[] secret(Path file) throws CommandLine.UsageException {
        try {
            // Trimmed as the server trims ssehub.jwtSecret, so `echo ... > file` and the setting agree.
            byte[] secret = Files.readString(file, StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new CommandLine.UsageException("the secret in " + file + " has " + secret.length
                        + " bytes; HS256 needs at least 32");
            }
            return secret;
        } catch (IOException e) {
            throw new CommandLine.UsageException("cannot read " + file + ": " + e);
        }
    }

    private static String sign(byte[] secret, JWTClaimsSet claims) throws CommandLine.UsageException {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new CommandLine.UsageException("cannot sign: " + e.getMessage());
        }
    }
}
