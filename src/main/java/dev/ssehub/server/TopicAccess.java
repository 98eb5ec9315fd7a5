package dev.ssehub.server;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.time.Instant;
import java.util.List;

/**
 * Who may read and publish what. Streams of private topics need a token whose grants cover every private topic
 * asked for (all or nothing); publishing needs the static publish token (every topic) or a token with publish
 * grants (those topics). Refusals follow RFC 6750: 401 with {@code error="invalid_token"}, 403 with
 * {@code error="insufficient_scope"}, each with a one-line reason, and all before a stream starts.
 */
final class TopicAccess {

    /** The cookie a browser's EventSource carries the token in: it cannot set headers. */
    static final String COOKIE = "ssehubAuthorization";
    /** The query parameter of RFC 6750, section 2.3; read only with {@code allowQueryToken}. */
    static final String QUERY_PARAMETER = "access_token";

    private static final String CHALLENGE = "Bearer realm=\"ssehub\"";

    private final TokenVerifier verifier;
    private final TopicPatterns privateTopics;
    private final boolean allowQueryToken;
    private final BearerToken publishToken;

    TopicAccess(Settings settings) {
        this.verifier = TokenVerifier.create(settings.tokens());
        this.privateTopics = settings.tokens().privateTopics();
        this.allowQueryToken = settings.tokens().allowQueryToken();
        this.publishToken = settings.publishToken() == null ? null : new BearerToken(settings.publishToken());
    }

    /**
     * Whether this request may read all of {@code topics}: the instant its permission ends (null for public topics
     * only: a token is not even read then, so an expired cookie never breaks a public page), or a refusal.
     */
    Instant permitRead(HttpServletRequest request, List<String> topics, HttpServletResponse response)
            throws Rejection {
        List<String> restricted = topics.stream().filter(privateTopics::matches).toList();
        if (restricted.isEmpty()) {
            return null;
        }
        String token = readToken(request, response);
        if (token == null) {
            response.setHeader("WWW-Authenticate", CHALLENGE);
            throw new Rejection(HttpServletResponse.SC_UNAUTHORIZED, "topic '" + restricted.get(0) + "' is private: "
                    + "send a token as Authorization: Bearer <token> or in the cookie " + COOKIE);
        }
        TokenVerifier.Verified verified = verified(token, response);
        for (String topic : restricted) {
            if (!verified.grants().subscribe().matches(topic)) {
                throw insufficientScope(response, "the token does not grant subscribe to topic '" + topic + "'");
            }
        }
        return verified.validUntil();
    }

    /**
     * The topics the bearer of this {@code Authorization} header may publish to: all of them for the publish token,
     * the publish grants of a valid token; checked before a byte of the body is read.
     */
    TopicPatterns permitPublish(String authorization, HttpServletResponse response) throws Rejection {
        if (publishToken == null && verifier == null) {
            throw new Rejection(HttpServletResponse.SC_FORBIDDEN,
                    "publishing is off: set a token with ssehub.publishToken or SSEHUB_PUBLISH_TOKEN to turn it on");
        }
        if (authorization == null) {
            response.setHeader("WWW-Authenticate", CHALLENGE);
            throw new Rejection(HttpServletResponse.SC_UNAUTHORIZED, "missing Authorization: Bearer <token>");
        }
        if (publishToken != null && publishToken.matches(authorization)) {
            return TopicPatterns.ALL;
        }
        String token = BearerToken.credentials(authorization);
        if (verifier == null || token == null || token.indexOf('.') < 0) {
            throw invalidToken(response, "wrong publish token");
        }
        TopicPatterns grants = verified(token, response).grants().publish();
        if (grants.isEmpty()) {
            throw insufficientScope(response, "the token grants no publishing");
        }
        return grants;
    }

    /** Refuses a topic that the publisher's grants do not cover. */
    static void requirePublish(TopicPatterns grants, String topic, HttpServletResponse response) throws Rejection {
        if (!grants.matches(topic)) {
            throw insufficientScope(response, "the token does not grant publish to topic '" + topic + "'");
        }
    }

    // Header first (programs), then the cookie (browsers), then the query string if the operator allows it.
    private String readToken(HttpServletRequest request, HttpServletResponse response) throws Rejection {
        String header = BearerToken.credentials(request.getHeader("Authorization"));
        if (header != null) {
            return header; // another scheme (Basic, from a proxy's login) carries no token of ours
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (COOKIE.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
                    return cookie.getValue();
                }
            }
        }
        String query = request.getParameter(QUERY_PARAMETER);
        if (query != null && !allowQueryToken) {
            response.setHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_request\"");
            throw new Rejection(HttpServletResponse.SC_BAD_REQUEST, "a token in the URL is refused (URLs end up in "
                    + "logs): send it as Authorization: Bearer <token> or in the cookie " + COOKIE);
        }
        return query;
    }

    private TokenVerifier.Verified verified(String token, HttpServletResponse response) throws Rejection {
        try {
            return verifier.verify(token);
        } catch (TokenVerifier.Invalid invalid) {
            throw invalidToken(response, "invalid token: " + invalid.getMessage());
        }
    }

    private static Rejection invalidToken(HttpServletResponse response, String reason) {
        response.setHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
        return new Rejection(HttpServletResponse.SC_UNAUTHORIZED, reason);
    }

    private static Rejection insufficientScope(HttpServletResponse response, String reason) {
        response.setHeader("WWW-Authenticate", CHALLENGE + ", error=\"insufficient_scope\"");
        return new Rejection(HttpServletResponse.SC_FORBIDDEN, reason);
    }
}
