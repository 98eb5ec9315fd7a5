package dev.ssehub.hub;

import dev.ssehub.wire.SseEncoder;
import dev.ssehub.wire.SseEvent;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;

/**
 * The bytes the hub adds to an encoded event (its id line, its topic line) and those it sends of its own: a
 * position, the {@code missed} notice.
 */
final class Frames {

    private Frames() {
    }

    /** {@code "id: <id>\n"} followed by the encoded event. */
    static byte[] withIdLine(EventId id, byte[] body) {
        byte[] idLine = ("id: " + id + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[idLine.length + body.length];
        System.arraycopy(idLine, 0, frame, 0, idLine.length);
        System.arraycopy(body, 0, frame, idLine.length, body.length);
        return frame;
    }

    /**
     * {@code "id: <id>\n\n"}: a block with an id and no data sets an EventSource's last event id without
     * dispatching an event, so the client has a position to resume from before its first event.
     */
    static byte[] position(EventId id) {
        return ("id: " + id + "\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The frame with {@code "topic: <topic>\n"} after its first line, the id. */
    static byte[] withTopicLine(byte[] frame, String topic) {
        int afterId = 0;
        while (frame[afterId] != '\n') {
            afterId++;
        }
        afterId++;
        byte[] topicLine = ("topic: " + topic + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] labelled = new byte[frame.length + topicLine.length];
        System.arraycopy(frame, 0, labelled, 0, afterId);
        System.arraycopy(topicLine, 0, labelled, afterId, topicLine.length);
        System.arraycopy(frame, afterId, labelled, afterId + topicLine.length, frame.length - afterId);
        return labelled;
    }

    /**
     * {@code "id: <head>\nevent: missed\ndata: {"lastEventId":"...","reason":"..."}\n\n"}: the id moves the client's
     * position on to where its live stream starts; none when there is no position yet ({@code head} null).
     */
    static byte[] missed(String lastEventId, String reason, EventId head) {
        String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(lastEventId));
        String data = "{\"lastEventId\":\"" + quoted + "\",\"reason\":\"" + reason + "\"}";
        String id = head == null ? null : head.toString();
        return SseEncoder.encode(new SseEvent(id, Hub.MISSED_EVENT, data, null, null));
    }
}
