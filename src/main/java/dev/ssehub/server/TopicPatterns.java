package dev.ssehub.server;

import dev.ssehub.hub.Hub;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of topic patterns, as private topics and token grants name them: an exact topic ({@code user.42}), a
 * prefix ({@code chat.*}: every topic that starts with {@code chat.}, not {@code chat} nor {@code chatter}), or
 * {@code *} for every topic. Nothing else: no other wildcards, no regular expressions.
 */
final class TopicPatterns {

    static final String RULE = "a topic name, prefix.* or *";
    static final TopicPatterns NONE = new TopicPatterns(List.of(), List.of(), false);
    static final TopicPatterns ALL = new TopicPatterns(List.of(), List.of(), true);

    private final List<String> exact;
    private final List<String> prefixes;
    private final boolean any;

    private TopicPatterns(List<String> exact, List<String> prefixes, boolean any) {
        this.exact = exact;
        this.prefixes = prefixes;
        this.any = any;
    }

    /** The patterns, or an {@link IllegalArgumentException} naming the first that is none of the three forms. */
    static TopicPatterns parse(List<String> patterns) {
        List<String> exact = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        boolean any = false;
        for (String pattern : patterns) {
            if (pattern.equals("*")) {
                any = true;
            } else if (pattern.endsWith(".*") && Hub.isValidTopic(pattern.substring(0, pattern.length() - 2))) {
                prefixes.add(pattern.substring(0, pattern.length() - 1)); // keeps the dot: chat.* is not chatter
            } else if (Hub.isValidTopic(pattern)) {
                exact.add(pattern);
            } else {
                throw new IllegalArgumentException("'" + Responses.printable(pattern) + "' is not " + RULE);
            }
        }
        return new TopicPatterns(List.copyOf(exact), List.copyOf(prefixes), any);
    }

    boolean matches(String topic) {
        if (any || exact.contains(topic)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (topic.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return !any && exact.isEmpty() && prefixes.isEmpty();
    }
}
