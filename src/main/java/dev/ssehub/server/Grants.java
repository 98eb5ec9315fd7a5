package dev.ssehub.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a token allows, from its one claim {@code "ssehub": {"subscribe": [...], "publish": [...]}}: the topics it
 * may read and those it may publish to, each a list of {@link TopicPatterns}. A list that is absent grants nothing.
 */
record Grants(TopicPatterns subscribe, TopicPatterns publish) {

    static final String CLAIM = "ssehub";
    static final Grants NONE = new Grants(TopicPatterns.NONE, TopicPatterns.NONE);

    /** The grants in the claim's value as a JSON parser gives it (null when the token has no such claim). */
    static Grants fromClaim(Object claim) {
        if (claim == null) {
            return NONE;
        }
        if (!(claim instanceof Map<?, ?> object)) {
            throw new IllegalArgumentException("claim '" + CLAIM + "' must be an object with subscribe and publish");
        }
        for (Object key : object.keySet()) {
            if (!"subscribe".equals(key) && !"publish".equals(key)) {
                // A misspelt list would silently grant nothing; say so instead.
                throw new IllegalArgumentException("claim '" + CLAIM + "' has an unknown member '"
                        + Responses.printable(String.valueOf(key)) + "': expected subscribe and publish");
            }
        }
        return new Grants(patterns(object.get("subscribe"), "subscribe"), patterns(object.get("publish"), "publish"));
    }

    private static TopicPatterns patterns(Object list, String name) {
        if (list == null) {
            return TopicPatterns.NONE;
        }
        if (!(list instanceof List<?> items) || !items.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException(CLAIM + "." + name + " must be a list of strings");
        }
        List<String> patterns = new ArrayList<>();
        items.forEach(item -> patterns.add((String) item));
        try {
            return TopicPatterns.parse(patterns);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CLAIM + "." + name + ": " + e.getMessage());
        }
    }
}
