package dev.ssehub.wire;

import static dev.ssehub.wire.SseEvent.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ssehub.testkit.RecordingListener;
import dev.ssehub.testkit.RecordingListener.Comment;
import dev.ssehub.testkit.RecordingListener.Retry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Raw wire text to the exact reports, one test per rule of the WHATWG HTML "Server-sent events" sections "Parsing an
 * event stream" and "Interpreting an event stream". Each test compares the whole list, so nothing is left over.
 */
final class SseParserTest {

    // --- Parsing an event stream: decoding and line ends ---

    @Test
    void leadingBomSkipped() {
        assertEquals(List.of(data("x")), parse("\uFEFFdata: x\n\n"));
        assertEquals(List.of(data("x")), parseByteByByte(utf8("\uFEFFdata: x\n\n")));
    }

    @Test
    void onlyFirstBomSkipped() {
        // The second BOM is part of the field name, "\uFEFFdata", which is unknown.
        assertEquals(List.of(), parse("\uFEFF\uFEFFdata: x\n\n"));
        assertEquals(List.of(data("a")), parse("\uFEFFdata: a\n\n\uFEFFdata: b\n\n"));
    }

    @Test
    void crLineEnds() {
        assertEquals(List.of(data("a\nb"), data("c")), parse("data: a\rdata: b\r\rdata: c\r\r"));
    }

    @Test
    void lfLineEnds() {
        assertEquals(List.of(data("a\nb"), data("c")), parse("data: a\ndata: b\n\ndata: c\n\n"));
    }

    @Test
    void crlfLineEnds() {
        assertEquals(List.of(data("a\nb"), data("c")), parse("data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n"));
    }

    @Test
    void mixedLineEnds() {
        assertEquals(List.of(data("a\nb\nc")), parse("data: a\rdata: b\ndata: c\r\n\n"));
        // LF then CR is two line ends; CR then CRLF is two as well.
        assertEquals(List.of(data("a"), data("b")), parse("data: a\n\rdata: b\r\r\n"));
    }

    @Test
    void crlfSplitAcrossChunks() {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("data: a\r"));
        parser.feed(utf8("\ndata: b\r"));
        recorder.assertNoMore(); // had the LF counted as a second line end, "a" would have dispatched alone
        parser.feed(utf8("\n\r"));
        parser.feed(utf8("\n"));
        assertEquals(List.of(data("a\nb")), recorder.drain());
        parser.finish();
        recorder.assertNoMore();
    }

    @Test
    void crAtChunkEndThenCrIsBlankLine() {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("data: a\r"));
        parser.feed(utf8("\r"));
        assertEquals(List.of(data("a")), recorder.drain());
        parser.finish();
        recorder.assertNoMore();
    }

    @Test
    void utf8CharacterSplitAcrossChunks() {
        assertEquals(List.of(new SseEvent("é", "中文", "😀é", null, null)),
                parseByteByByte(utf8("id: é\nevent: 中文\ndata: 😀é\n\n")));
    }

    @Test
    void invalidUtf8ReplacedWithUFFFD() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(utf8("data: a"));
        wire.writeBytes(bytes(0xFF)); // never valid
        wire.writeBytes(utf8("b\ndata: "));
        wire.writeBytes(bytes(0xC0, 0xAF)); // overlong "/": two errors
        wire.writeBytes(utf8("\ndata: "));
        wire.writeBytes(bytes(0xE2, 0x82)); // "€" cut short by the line end: one error
        wire.writeBytes(utf8("\n\n"));
        List<Object> expected = List.of(data("a\uFFFDb\n\uFFFD\uFFFD\n\uFFFD"));

        assertEquals(expected, RecordingListener.parse(wire.toByteArray()));
        assertEquals(expected, parseByteByByte(wire.toByteArray()));
    }

    @Test
    void unterminatedEventAtEndDiscarded() {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("id: 1\ndata: a\n\nid: 2\nevent: b\ndata: b\n"));
        assertEquals(List.of(data("a").withId("1")), recorder.drain());
        parser.finish();
        recorder.assertNoMore();
        assertEquals("1", parser.lastEventId(), "the discarded block's id was never received");

        assertEquals(List.of(), parse("data: x")); // a line with no line end at all
    }

    // --- Interpreting an event stream: lines ---

    @Test
    void blankLineDispatches() {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("data: x\n"));
        recorder.assertNoMore();
        parser.feed(utf8("\n"));
        assertEquals(List.of(data("x")), recorder.drain());
        parser.finish();
        recorder.assertNoMore();
    }

    @Test
    void commentIgnoredButReported() {
        assertEquals(List.of(new Comment("hi"), new Comment(""), new Comment(" two"), new Comment("data: no"),
                        data("x").withComment("hi\n\n two\ndata: no")),
                parse(": hi\n:\n:  two\n:data: no\ndata: x\n\n"));
    }

    @Test
    void commentAloneDispatchesNothing() {
        assertEquals(List.of(new Comment("keep-alive"), data("x")), parse(": keep-alive\n\ndata: x\n\n"));
    }

    @Test
    void fieldWithoutColonHasEmptyValue() {
        assertEquals(List.of(data("")), parse("data\n\n"));
        assertEquals(List.of(data("\n")), parse("data\ndata\n\n"));
        assertEquals(List.of(data("x")), parse("event: t\nevent\ndata: x\n\n"));
    }

    @Test
    void oneLeadingSpaceStripped() {
        assertEquals(List.of(data(" x")), parse("data:  x\n\n"));
        assertEquals(List.of(data("   ")), parse("data:    \n\n"));
    }

    @Test
    void noSpaceAfterColon() {
        assertEquals(List.of(data("x").withType("t").withId("1")), parse("data:x\nevent:t\nid:1\n\n"));
    }

    @Test
    void onlySpaceStrippedNotTab() {
        assertEquals(List.of(data("\tx")), parse("data:\tx\n\n"));
    }

    @Test
    void colonInValueKept() {
        assertEquals(List.of(data("a:b"), data(":c"), data("d: e")), parse("data: a:b\n\ndata::c\n\ndata: d: e\n\n"));
    }

    @Test
    void fieldNameCaseSensitive() {
        assertEquals(List.of(data("x")), parse("Data: no\n\nDATA: no\n\nEvent: t\nID: 1\ndata: x\n\n"));
    }

    @Test
    void spaceAroundFieldNameMakesItUnknown() {
        assertEquals(List.of(), parse("data : x\n\n data: x\n\n"));
    }

    @Test
    void unknownFieldIgnored() {
        assertEquals(List.of(data("x")), parse("foo: bar\ndata: x\nbaz\n\n"));
    }

    // --- Interpreting an event stream: fields ---

    @Test
    void eventTypeDefaultsToMessage() {
        List<Object> events = parse("data: x\n\nevent:\ndata: y\n\n");
        assertEquals(List.of(data("x"), data("y")), events);
        assertNull(((SseEvent) events.get(0)).type());
        assertEquals("message", ((SseEvent) events.get(0)).typeOrDefault());
    }

    @Test
    void eventTypeSetsType() {
        assertEquals(List.of(data("x").withType("chat")), parse("event: chat\ndata: x\n\n"));
        assertEquals(List.of(data("x").withType("b")), parse("event: a\nevent: b\ndata: x\n\n"));
    }

    @Test
    void eventTypeResetAfterDispatch() {
        assertEquals(List.of(data("x").withType("a"), data("y")), parse("event: a\ndata: x\n\ndata: y\n\n"));
    }

    @Test
    void nulInDataKept() {
        assertEquals(List.of(data("a\0b")), parse("data: a\0b\n\n"));
    }

    @Test
    void multipleDataLinesJoinedWithLf() {
        assertEquals(List.of(data("a\nb\nc")), parse("data: a\ndata: b\ndata: c\n\n"));
    }

    @Test
    void trailingLfRemovedOnce() {
        assertEquals(List.of(data("\n")), parse("data:\ndata:\n\n"));
        assertEquals(List.of(data("a\n")), parse("data: a\ndata:\n\n"));
    }

    @Test
    void emptyDataLineDispatchesEmptyData() {
        assertEquals(List.of(data("")), parse("data:\n\n"));
    }

    @Test
    void noDataNoDispatch() {
        // The type of the block without data must not leak into the next event.
        assertEquals(List.of(data("y")), parse("event: a\n\ndata: y\n\n"));
        assertEquals(List.of(), parse("event: a\n\n\n\n"));
    }

    @Test
    void lastIdCarriesOver() {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("id: 1\ndata: a\n\ndata: b\n\nevent: t\ndata: c\n\n"));
        parser.finish();
        assertEquals(List.of(data("a").withId("1"), data("b").withId("1"), data("c").withId("1").withType("t")),
                recorder.drain());
        assertEquals("1", parser.lastEventId());
    }

    @Test
    void idLineAnywhereInBlockApplies() {
        assertEquals(List.of(data("a").withId("2")), parse("data: a\nid: 1\nid: 2\n\n"));
    }

    @Test
    void idWithNulIgnored() {
        assertEquals(List.of(data("a").withId("1"), data("b").withId("1")),
                parse("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n"));
    }

    @Test
    void idClearedByEmptyId() {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("id: 1\ndata: a\n\nid\ndata: b\n\nid: 3\ndata: c\n\nid:\ndata: d\n\n"));
        parser.finish();
        assertEquals(List.of(data("a").withId("1"), data("b"), data("c").withId("3"), data("d")), recorder.drain());
        assertNull(parser.lastEventId());
    }

    @Test
    void idSetWithoutDataNotDispatchedButKept() {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("id: 7\n\n"));
        recorder.assertNoMore();
        assertEquals("7", parser.lastEventId());
        parser.feed(utf8("data: x\n\n"));
        parser.finish();
        assertEquals(List.of(data("x").withId("7")), recorder.drain());
    }

    @Test
    void lastEventIdCommittedOnlyByBlankLine() {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("id: 1\n\nid: 2\n"));
        assertEquals("1", parser.lastEventId(), "the spec sets the event source's id when the block dispatches");
        parser.feed(utf8("\n"));
        assertEquals("2", parser.lastEventId());
        recorder.assertNoMore();
    }

    @Test
    void lastEventIdSeededByConstructor() {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder, "41");
        assertEquals("41", parser.lastEventId());
        parser.feed(utf8("data: x\n\n"));
        parser.finish();
        assertEquals(List.of(data("x").withId("41")), recorder.drain());

        SseParser emptySeed = new SseParser(recorder, "");
        assertNull(emptySeed.lastEventId());
        emptySeed.feed(utf8("data: y\n\n"));
        assertEquals(List.of(data("y")), recorder.drain());
    }

    @Test
    void retryAllDigitsHonoured() {
        assertEquals(List.of(new Retry(3000)), parse("retry: 3000\n\n"));
        assertEquals(List.of(new Retry(0)), parse("retry:0\n\n"));
        assertEquals(List.of(new Retry(7)), parse("retry: 0000000000000000000000007\n\n"));
        assertEquals(List.of(new Retry(Long.MAX_VALUE)), parse("retry: 9223372036854775807\n\n"));
    }

    @Test
    void retryBelongsToItsBlock() {
        assertEquals(List.of(new Retry(5), data("x").withRetry(5L), data("y")),
                parse("retry: 5\ndata: x\n\ndata: y\n\n"));
        assertEquals(List.of(new Retry(1), new Retry(2), data("x").withRetry(2L)),
                parse("retry: 1\nretry: 2\ndata: x\n\n"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "retry: 1a", "retry: -1", "retry: +1", "retry:  5", "retry: 5 ", "retry: 1.5", "retry: 1e3",
            "retry: 0x10", "retry:", "retry", "retry: \u0661\u0662", "retry: \uFF15",
            "retry: 9223372036854775808", "retry: 99999999999999999999999999"})
    void retryInvalidFormatIgnored(String line) {
        assertEquals(List.of(data("x")), parse(line + "\ndata: x\n\n"));
    }

    // --- The examples in the spec ---

    @Test
    void specExampleMultilineMessages() {
        assertEquals(List.of(data("This is the first message."),
                        data("This is the second message, it\nhas two lines."),
                        data("This is the third message.")),
                parse("data: This is the first message.\n\n"
                        + "data: This is the second message, it\ndata: has two lines.\n\n"
                        + "data: This is the third message.\n\n"));
    }

    @Test
    void specExampleIdsAndSpaces() {
        assertEquals(List.of(new Comment("test stream"),
                        data("first event").withId("1"), data("second event"), data(" third event")),
                parse(": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n"));
    }

    @Test
    void specExampleEmptyData() {
        assertEquals(List.of(data(""), data("\n")), parse("data\n\ndata\ndata\n\ndata:"));
    }

    @Test
    void specExampleSpaceOptional() {
        assertEquals(List.of(data("test"), data("test")), parse("data:test\n\ndata: test\n\n"));
    }

    private static List<Object> parse(String wire) {
        return RecordingListener.parse(utf8(wire));
    }

    private static List<Object> parseByteByByte(byte[] wire) {
        RecordingListener recorder = new RecordingListener();
        SseParser parser = new SseParser(recorder);
        for (int i = 0; i < wire.length; i++) {
            parser.feed(wire, i, 1);
        }
        parser.finish();
        return recorder.drain();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
