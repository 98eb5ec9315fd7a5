package dev.ssehub.server;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three forms of a topic pattern and the grants claim that lists them. */
class TopicPatternsTest {

    @Test
    void anExactNameMatchesOnlyItself() {
        TopicPatterns user42 = TopicPatterns.parse(List.of("user.42"));
        assertTrue(user42.matches("user.42"));
        assertFalse(user42.matches("user.4"));
        assertFalse(user42.matches("user.420"));
    }

    @Test
    void aPrefixMatchesWhatStartsWithItAndItsDotButNotTheBareNameNorLongerWords() {
        TopicPatterns chat = TopicPatterns.parse(List.of("chat.*"));
        assertTrue(chat.matches("chat.room"));
        assertTrue(chat.matches("chat.a.b"));
        assertFalse(chat.matches("chat"));
        assertFalse(chat.matches("chatter"));
        assertFalse(chat.matches("team.chat.x"));
    }

    @Test
    void aStarMatchesEveryTopicAndNoPatternsMatchNone() {
        assertTrue(TopicPatterns.parse(List.of("*")).matches("anything"));
        assertFalse(TopicPatterns.parse(List.of()).matches("anything"));
        assertTrue(TopicPatterns.parse(List.of()).isEmpty());
        assertFalse(TopicPatterns.parse(List.of("a", "b.*")).isEmpty());
    }

    @Test
    void anythingElseIsRefusedByName() {
        for (String bad : List.of("chat*", "*.chat", "a.*.b", "", ".*", "a/b", "**")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TopicPatterns.parse(List.of("ok", bad)));
            assertEquals("'" + bad + "' is not a topic name, prefix.* or *", e.getMessage());
        }
    }

    @Test
    void theGrantsClaimHasTwoOptionalListsAndNothingElse() {
        Grants grants = Grants.fromClaim(Map.of("subscribe", List.of("user.42", "chat.*")));
        assertTrue(grants.subscribe().matches("chat.x"));
        assertTrue(grants.publish().isEmpty());
        assertTrue(Grants.fromClaim(null).subscribe().isEmpty());
        assertEquals("claim 'ssehub' has an unknown member 'subscribes': expected subscribe and publish",
                assertThrows(IllegalArgumentException.class,
                        () -> Grants.fromClaim(Map.of("subscribes", List.of("a")))).getMessage());
        assertEquals("ssehub.publish must be a list of strings", assertThrows(IllegalArgumentException.class,
                () -> Grants.fromClaim(Map.of("publish", List.of(1)))).getMessage());
    }
}
