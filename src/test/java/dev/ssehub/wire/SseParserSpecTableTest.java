package dev.ssehub.wire;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ssehub.testkit.RecordingListener;
import dev.ssehub.testkit.RecordingListener.Comment;
import dev.ssehub.testkit.RecordingListener.Retry;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The spec table shared with the JavaScript parser (sse-spec-cases.json, read by src/test/js/sse-parser.test.js too):
 * both parsers must report exactly the same for the same bytes, fed whole and byte by byte.
 */
final class SseParserSpecTableTest {

    @TestFactory
    Stream<DynamicTest> everyCaseOfTheSharedTable() throws IOException {
        return cases().map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> {
            byte[] wire = c.has("wireHex") ? HexFormat.of().parseHex(c.get("wireHex").getAsString())
                    : c.get("wire").getAsString().getBytes(StandardCharsets.UTF_8);
            String seed = c.has("seed") ? c.get("seed").getAsString() : null;
            List<Object> expected = expected(c.getAsJsonArray("expect"));
            for (boolean byteByByte : new boolean[] {false, true}) {
                RecordingListener recorder = new RecordingListener();
                SseParser parser = new SseParser(recorder, seed);
                if (byteByByte) {
                    for (int i = 0; i < wire.length; i++) {
                        parser.feed(wire, i, 1);
                    }
                } else {
                    parser.feed(wire);
                }
                parser.finish();
                String how = byteByByte ? "byte by byte" : "whole";
                assertEquals(expected, comparable(recorder.drain()), how);
                if (c.has("lastEventId")) {
                    JsonElement id = c.get("lastEventId");
                    assertEquals(id.isJsonNull() ? null : id.getAsString(), parser.lastEventId(), how);
                }
            }
        }));
    }

    private static Stream<JsonObject> cases() throws IOException {
        try (InputStream in = SseParserSpecTableTest.class.getResourceAsStream("sse-spec-cases.json")) {
            JsonArray cases = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject().getAsJsonArray("cases");
            List<JsonObject> all = new ArrayList<>();
            cases.forEach(c -> all.add(c.getAsJsonObject()));
            return all.stream();
        }
    }

    // The table states an event's id, type and data; the block's retry and comments are reported on their own.
    private static List<Object> expected(JsonArray reports) {
        List<Object> out = new ArrayList<>();
        for (JsonElement element : reports) {
            JsonObject report = element.getAsJsonObject();
            if (report.has("comment")) {
                out.add(new Comment(report.get("comment").getAsString()));
            } else if (report.has("retry")) {
                out.add(new Retry(report.get("retry").getAsLong()));
            } else {
                JsonObject event = report.getAsJsonObject("event");
                out.add(new SseEvent(text(event, "id"), text(event, "type"), event.get("data").getAsString(), null,
                        null));
            }
        }
        return out;
    }

    private static List<Object> comparable(List<Object> reported) {
        return reported.stream()
                .map(r -> r instanceof SseEvent e ? new SseEvent(e.id(), e.type(), e.data(), null, null) : r)
                .toList();
    }

    private static String text(JsonObject object, String key) {
        return object.has(key) ? object.get(key).getAsString() : null;
    }
}
