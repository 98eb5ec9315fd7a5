package dev.ssehub.client;

import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The --json line: RFC 8259 string escapes, exactly; and the flat objects of strings that ssehub answers. */
class JsonLineTest {

    @Test
    void anUnnamedEventIsAMessageAndAMissingIdIsNull() {
        assertEquals("{\"id\":null,\"event\":\"message\",\"data\":\"hi\"}", JsonLine.of(SseEvent.data("hi")));
        assertEquals("{\"id\":\"7\",\"event\":\"chat\",\"data\":\"\"}",
                JsonLine.of(new SseEvent("7", "chat", "", null, null)));
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertEquals("{\"id\":\"a\\\"b\",\"event\":\"message\",\"data\":"
                        + "\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f nul\\u0000 us\\u001f del\\u007f\"}",
                JsonLine.of(new SseEvent("a\"b", null, "q\" b\\ n\n r\r t\t b\b f\f nul\0 us\u001f del\u007f", null, null)));
    }

    @Test
    void lineSeparatorsAreEscapedAndOtherUnicodeIsKept() {
        assertEquals("{\"id\":null,\"event\":\"message\",\"data\":\"\\u2028\\u2029 naïve ✓ \uD83D\uDE00 /\"}",
                JsonLine.of(SseEvent.data("\u2028\u2029 naïve ✓ \uD83D\uDE00 /")));
    }

    @Test
    void anObjectOfStringsIsReadWithItsEscapesUndone() {
        assertEquals(Map.of("id", "1-5", "topic", "chat"), JsonLine.stringMembers("{\"id\":\"1-5\",\"topic\":\"chat\"}"));
        assertEquals(Map.of("a", "q\" \\ / \n é"), JsonLine.stringMembers(" { \"a\" : \"q\\\" \\\\ \\/ \\n \\u00e9\" } "));
        assertEquals(Map.of(), JsonLine.stringMembers("{}"));
    }

    @Test
    void anythingButAFlatObjectOfStringsIsNull() {
        for (String json : new String[] {"", "[]", "{\"a\":1}", "{\"a\":{}}", "{\"a\":\"b\"} x", "{\"a\":\"b\"",
                "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "not json"}) {
            assertNull(JsonLine.stringMembers(json), json);
        }
    }
}
