package dev.ssehub.wire;

import dev.ssehub.testkit.RecordingListener;

import static dev.ssehub.wire.SseEvent.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Event to the exact bytes on the wire. */
final class SseEncoderTest {

    @Test
    void fieldLinesHaveSpaceAfterColon() {
        assertEncodes("id: 7\nevent: chat\ndata: hi\ndata: there\n\n",
                new SseEvent("7", "chat", "hi\nthere", null, null));
    }

    @Test
    void dataSplitOnCrLfAndCrlf() {
        assertEncodes("data: a\ndata: b\ndata: c\ndata: d\n\n", data("a\r\nb\rc\nd"));
    }

    @Test
    void emptyLinesInDataBecomeEmptyDataLines() {
        // Never a blank line inside a block: that would end the event early.
        assertEncodes("data: a\ndata: \ndata: \ndata: b\n\n", data("a\n\r\n\rb"));
        assertEncodes("data: a\ndata: \ndata: b\n\n", data("a\r\rb"));
    }

    @Test
    void emptyDataIsOneEmptyDataLine() {
        assertEncodes("data: \n\n", data(""));
    }

    @Test
    void dataEndingWithNewlineGetsExtraEmptyDataLine() {
        assertEncodes("data: a\ndata: \n\n", data("a\n"));
        assertEncodes("data: a\ndata: \n\n", data("a\r\n"));
        assertEncodes("data: a\ndata: \n\n", data("a\r"));
        assertEncodes("data: \ndata: \n\n", data("\n"));
    }

    @Test
    void leadingSpaceKeptBehindTheSeparatorSpace() {
        assertEncodes("data:  a\ndata:    b\n\n", data(" a\n   b"));
    }

    @Test
    void commentLines() {
        assertEncodes(": hi\n: there\n: \n: x\n\n", SseEncoder.comment("hi\r\nthere\n\rx"));
        assertEncodes(": \n\n", SseEncoder.comment(""));
        assertEncodes(": c\ndata: d\n\n", data("d").withComment("c"));
    }

    @Test
    void retryLine() {
        assertEncodes("retry: 3000\n\n", SseEncoder.retry(3000));
        assertEncodes("retry: 0\ndata: d\n\n", data("d").withRetry(0L));
        assertEncodes("retry: 9223372036854775807\n\n", SseEncoder.retry(Long.MAX_VALUE));
    }

    @Test
    void idLine() {
        assertEncodes("id: 42\ndata: d\n\n", data("d").withId("42"));
        assertEncodes("id: \ndata: d\n\n", data("d").withId(""));
    }

    @Test
    void eventLine() {
        assertEncodes("event: update\ndata: d\n\n", data("d").withType("update"));
    }

    @Test
    void fieldOrderCommentRetryIdEventData() {
        assertEncodes(": c1\n: c2\nretry: 5\nid: 1\nevent: t\ndata: d1\ndata: d2\n\n",
                new SseEvent("1", "t", "d1\nd2", 5L, "c1\nc2"));
    }

    @Test
    void absentFieldsWriteNoLine() {
        assertEncodes("\n", new SseEvent(null, null, null, null, null));
        assertEncodes("id: 1\n\n", new SseEvent("1", null, null, null, null));
    }

    @Test
    void utf8WithoutBom() {
        assertArrayEquals(bytes("data: ", 0xC3, 0xA9, "\n\n"), SseEncoder.encode(data("é")));
        assertArrayEquals(bytes("data: ", 0xF0, 0x9F, 0x98, 0x80, "\n\n"), SseEncoder.encode(data("😀")));
        assertArrayEquals(bytes(": ", 0xE4, 0xB8, 0xAD, "\nid: ", 0xC3, 0xA9, "\nevent: ", 0xC3, 0xA9, "\ndata: x\n\n"),
                SseEncoder.encode(new SseEvent("é", "é", "x", null, "中")));
    }

    @Test
    void everyBlockEndsWithBlankLine() {
        List<SseEvent> events = List.of(data("x"), data(""), data("a\n\nb\r\n\r\n"),
                new SseEvent("1", "t", "\n", 9L, "\n"), new SseEvent(null, null, null, null, "only a comment"),
                new SseEvent("2", null, null, null, null));
        for (SseEvent event : events) {
            String wire = new String(SseEncoder.encode(event), StandardCharsets.UTF_8);
            assertEquals(wire.length() - 2, wire.indexOf("\n\n"), () -> "the only blank line is the last: " + wire);
            assertFalse(wire.startsWith("\n"), wire);
            assertEquals(-1, wire.indexOf('\r'), wire);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\r\nb", "\n", "a\r"})
    void sseEventRefusesLineBreaksInIdAndType(String value) {
        assertThrows(IllegalArgumentException.class, () -> new SseEvent(value, null, "d", null, null));
        assertThrows(IllegalArgumentException.class, () -> new SseEvent(null, value, "d", null, null));
        assertThrows(IllegalArgumentException.class, () -> data("d").withId(value));
        assertThrows(IllegalArgumentException.class, () -> data("d").withType(value));
    }

    @Test
    void sseEventRefusesNulInId() {
        // Parsers ignore an id line containing NUL, so it could never arrive.
        assertThrows(IllegalArgumentException.class, () -> new SseEvent("a\0b", null, "d", null, null));
    }

    @Test
    void sseEventRefusesNegativeRetry() {
        assertThrows(IllegalArgumentException.class, () -> data("d").withRetry(-1L));
    }

    @Test
    void injectedFrameInDataStaysData() {
        String injected = "\n\nevent: x\ndata: y";
        byte[] wire = SseEncoder.encode(data(injected));
        assertEquals("data: \ndata: \ndata: event: x\ndata: data: y\n\n", new String(wire, StandardCharsets.UTF_8));
        assertEquals(List.of(data(injected)), RecordingListener.parse(wire));
        // The CR forms arrive as LF, still one event.
        byte[] crWire = SseEncoder.encode(data("\r\n\revent: x\rdata: y"));
        assertEquals(List.of(data(injected)), RecordingListener.parse(crWire));
    }

    @Test
    void injectedFrameInCommentStaysComment() {
        byte[] wire = SseEncoder.comment("x\n\ndata: y");
        assertEquals(": x\n: \n: data: y\n\n", new String(wire, StandardCharsets.UTF_8));
        assertEquals(List.of(new RecordingListener.Comment("x"), new RecordingListener.Comment(""),
                new RecordingListener.Comment("data: y")), RecordingListener.parse(wire));
    }

    private static void assertEncodes(String expected, SseEvent event) {
        assertEncodes(expected, SseEncoder.encode(event));
    }

    private static void assertEncodes(String expected, byte[] actual) {
        assertEquals(expected, new String(actual, StandardCharsets.UTF_8));
    }

    /** ASCII text parts and single bytes: an exact expectation that does not lean on Java's UTF-8 encoder. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer b) {
                out.write(b);
            } else {
                out.writeBytes(((String) part).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }
}
