package dev.ssehub.wire;

import static dev.ssehub.wire.SseEvent.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ssehub.testkit.RecordingListener;
import dev.ssehub.testkit.RecordingListener.Comment;
import dev.ssehub.testkit.RecordingListener.Retry;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * parse(encode(e)) gives e back. The wire cannot tell CR from LF, so line ends inside data and comments come back as
 * LF; everything else comes back exactly.
 */
final class SseRoundTripTest {

    private static final Map<String, String> AWKWARD_DATA = awkwardData();

    private static final List<Map.Entry<String, UnaryOperator<SseEvent>>> ENVELOPES = List.of(
            Map.entry("bare", e -> e),
            Map.entry("id", e -> e.withId(" é:7 ")),
            Map.entry("type", e -> e.withType(" ü:t ")),
            Map.entry("retry", e -> e.withRetry(Long.MAX_VALUE)),
            Map.entry("comment", e -> e.withComment(e.data())),
            Map.entry("all", e -> new SseEvent("42", "update", e.data(), 0L, "note\n:x")));

    static Stream<Arguments> awkwardEvents() {
        return AWKWARD_DATA.entrySet().stream().flatMap(data -> ENVELOPES.stream().map(envelope ->
                Arguments.of(data.getKey() + ", " + envelope.getKey(),
                        envelope.getValue().apply(SseEvent.data(data.getValue())))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkwardEvents")
    void parseOfEncodeGivesTheEventBack(String name, SseEvent event) {
        assertEquals(reportsOf(List.of(event)), RecordingListener.parse(SseEncoder.encode(event)));
    }

    @Test
    void emptyIdAndTypeComeBackAsNull() {
        // An empty id line clears the last id and an empty type means "message": both read back as absent.
        assertEquals(List.of(data("x")), RecordingListener.parse(SseEncoder.encode(data("x").withId("").withType(""))));
    }

    @Test
    void eventsBackToBackInRandomChunks() {
        // After the first id every event carries its own, so the parser's id carry-over cannot change what comes out.
        List<SseEvent> events = List.of(
                data("first"),
                new SseEvent(null, null, null, null, "keep-alive"),
                new SseEvent("1", "a", "x\r\ny", null, null),
                new SseEvent(null, null, null, 1500L, null),
                new SseEvent("2", null, "", null, null),
                new SseEvent("3", null, " lead\n\n:colon\r", null, "c"),
                new SseEvent("4", "中文", "😀é".repeat(1000), null, null),
                new SseEvent("5", null, "\n", null, null),
                new SseEvent("6", "t", "\0", 0L, ""));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        events.forEach(e -> stream.writeBytes(SseEncoder.encode(e)));
        byte[] wire = stream.toByteArray();
        List<Object> expected = reportsOf(events);

        Random random = new Random(20250601L);
        for (int round = 0; round < 200; round++) {
            RecordingListener recorder = new RecordingListener();
            SseParser parser = new SseParser(recorder);
            for (int at = 0; at < wire.length; ) {
                int size = Math.min(wire.length - at, 1 + random.nextInt(round % 2 == 0 ? 8 : 200));
                parser.feed(wire, at, size);
                at += size;
            }
            parser.finish();
            assertEquals(expected, recorder.drain(), "round " + round);
            assertEquals("6", parser.lastEventId());
        }
    }

    /** What a parser reports for these blocks: each comment line and the retry as they arrive, then the event. */
    private static List<Object> reportsOf(List<SseEvent> blocks) {
        List<Object> reports = new ArrayList<>();
        for (SseEvent block : blocks) {
            String comment = lf(block.comment());
            if (comment != null) {
                Stream.of(comment.split("\n", -1)).map(Comment::new).forEach(reports::add);
            }
            if (block.retry() != null) {
                reports.add(new Retry(block.retry()));
            }
            if (block.data() != null) {
                reports.add(new SseEvent(block.id(), block.type(), lf(block.data()), block.retry(), comment));
            }
        }
        return reports;
    }

    private static String lf(String text) {
        return text == null ? null : text.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static Map<String, String> awkwardData() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("plain", "hello");
        data.put("empty", "");
        data.put("LF", "a\nb");
        data.put("CR", "a\rb");
        data.put("CRLF", "a\r\nb");
        data.put("lone CR at the end", "a\r");
        data.put("LF at the end", "a\n");
        data.put("CRLF at the end", "a\r\n");
        data.put("only line ends", "\r\n\n\r");
        data.put("empty lines", "a\n\n\nb");
        data.put("one leading space", " a");
        data.put("several leading spaces", "   a\n  b");
        data.put("trailing spaces", "a   \nb ");
        data.put("only spaces", "   ");
        data.put("non-ASCII", "é 中文 😀");
        data.put("NUL", "a\0b\0");
        data.put("colon at line start", ":a\n: b\n:");
        data.put("field-like lines", "id: 9\nevent: x\nretry: 1\n\ndata: y");
        data.put("BOM inside", "\uFEFFa");
        data.put("64 KiB on one line", "0123456789abcdef".repeat(4096));
        data.put("64 KiB of lines", "line é 😀\r\n".repeat(65536 / 16));
        return data;
    }
}
