package dev.ssehub.bench;

import java.nio.charset.StandardCharsets;

/**
 * Reads one event stream's bytes as they come: the response head, chunked or close-delimited body, and just enough
 * of the {@code text/event-stream} format to find each event's {@code data: <seq> <publishMicros>}. A lean scanner
 * instead of {@code SseParser}: it allocates nothing per event, so the load client's cost stays small next to the
 * servers'. Lines end at LF, CR or CRLF; a blank line ends an event; comments are skipped. An {@code id:} becomes
 * the last event id when its event is dispatched (as in an EventSource), and the last {@code retry:} is kept, for
 * clients that resume. Not thread-safe: it belongs to the selector thread of its connection.
 */
final class StreamReader {

    /** What the reader reports. */
    interface Events {
        /** An event whose data is {@code <seq> <publishMicros>...}; {@code seq} counts from 1 per publisher. */
        void onEvent(long seq, long publishMicros);

        /** An event whose data is something else (the Flask example's clock). */
        void onOtherEvent();
    }

    private static final int HEAD_LIMIT = 8192;
    // Enough for "data: <seq> <micros>" and "id: <epoch>-<sequence>"; the rest of a longer line (padding) is
    // counted, not kept.
    private static final int LINE_KEEP = 48;

    private enum Body { HEAD, IDENTITY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, DONE }

    private Body body = Body.HEAD;
    private byte[] head = new byte[512];
    private int headLength;
    private int status;

    private long chunkRemaining;
    private boolean chunkSizeDone;

    private final byte[] line = new byte[LINE_KEEP];
    private int lineLength;
    private boolean lastWasCr;
    private boolean eventHasData;
    private long eventSeq = -1;
    private long eventMicros;
    // The id field of the event being read, and the last dispatched one: kept as bytes, a String only when asked.
    private final byte[] pendingId = new byte[LINE_KEEP];
    private int pendingIdLength = -1;
    private final byte[] lastId = new byte[LINE_KEEP];
    private int lastIdLength;
    private long retryMillis = -1;
    private int retryLines;

    /** The response status once the head is read, else 0. */
    int status() {
        return status;
    }

    boolean headRead() {
        return body != Body.HEAD;
    }

    /** Whether the body has ended (the last chunk of a chunked body). */
    boolean ended() {
        return body == Body.DONE;
    }

    /** The id of the last event dispatched, or null before the first id. */
    String lastEventId() {
        return lastIdLength == 0 ? null : new String(lastId, 0, lastIdLength, StandardCharsets.US_ASCII);
    }

    /** The last {@code retry:} value read, in milliseconds, or -1 before the first. */
    long retryMillis() {
        return retryMillis;
    }

    /** How many valid {@code retry:} lines were read. */
    int retryLines() {
        return retryLines;
    }

    /** Feeds bytes; returns false when the head is malformed or too long. */
    boolean feed(byte[] bytes, int offset, int length, Events events) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            switch (body) {
                case HEAD -> {
                    int used = readHead(bytes, i, end);
                    if (used < 0) {
                        return false;
                    }
                    i += used;
                }
                case IDENTITY -> {
                    scan(bytes, i, end, events);
                    i = end;
                }
                case CHUNK_SIZE -> {
                    byte b = bytes[i++];
                    if (b == '\n') {
                        body = chunkRemaining == 0 ? Body.DONE : Body.CHUNK_DATA;
                        chunkSizeDone = false;
                    } else if (!chunkSizeDone && hex(b) >= 0) {
                        chunkRemaining = chunkRemaining * 16 + hex(b);
                    } else if (b != '\r') {
                        chunkSizeDone = true; // a chunk extension: ignored
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(chunkRemaining, end - i);
                    scan(bytes, i, i + n, events);
                    i += n;
                    chunkRemaining -= n;
                    if (chunkRemaining == 0) {
                        body = Body.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    if (bytes[i++] == '\n') {
                        body = Body.CHUNK_SIZE;
                    }
                }
                case DONE -> i = end;
            }
        }
        return true;
    }

    // Returns how many bytes belonged to the head, or -1 when it is malformed.
    private int readHead(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            if (headLength == head.length) {
                if (head.length >= HEAD_LIMIT) {
                    return -1;
                }
                head = java.util.Arrays.copyOf(head, head.length * 2);
            }
            head[headLength++] = bytes[i];
            if (headLength >= 4 && head[headLength - 1] == '\n' && head[headLength - 2] == '\r'
                    && head[headLength - 3] == '\n' && head[headLength - 4] == '\r') {
                String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
                head = null;
                if (!text.startsWith("HTTP/1.") || text.length() < 12) {
                    return -1;
                }
                status = Integer.parseInt(text.substring(9, 12));
                boolean chunked = text.toLowerCase(java.util.Locale.ROOT).contains("\ntransfer-encoding: chunked");
                body = chunked ? Body.CHUNK_SIZE : Body.IDENTITY;
                return i - from + 1;
            }
        }
        return end - from;
    }

    private void scan(byte[] bytes, int from, int to, Events events) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (lastWasCr) {
                    lastWasCr = false;
                    continue;
                }
                endLine(events);
            } else if (b == '\r') {
                lastWasCr = true;
                endLine(events);
            } else {
                lastWasCr = false;
                if (lineLength < LINE_KEEP) {
                    line[lineLength] = b;
                }
                lineLength++;
            }
        }
    }

    private void endLine(Events events) {
        int length = lineLength;
        lineLength = 0;
        if (length == 0) {
            if (pendingIdLength >= 0) { // dispatched: an EventSource's last event id changes only here
                System.arraycopy(pendingId, 0, lastId, 0, pendingIdLength);
                lastIdLength = pendingIdLength;
                pendingIdLength = -1;
            }
            if (eventHasData) {
                if (eventSeq >= 0) {
                    events.onEvent(eventSeq, eventMicros);
                } else {
                    events.onOtherEvent();
                }
            }
            eventHasData = false;
            eventSeq = -1;
            return;
        }
        if (length >= 5 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a' && line[4] == ':') {
            eventHasData = true;
            parseData(Math.min(length, LINE_KEEP));
        } else if (length >= 3 && length <= LINE_KEEP && line[0] == 'i' && line[1] == 'd' && line[2] == ':') {
            int from = length > 3 && line[3] == ' ' ? 4 : 3;
            pendingIdLength = length - from;
            System.arraycopy(line, from, pendingId, 0, pendingIdLength);
        } else if (length >= 6 && line[0] == 'r' && line[1] == 'e' && line[2] == 't' && line[3] == 'r'
                && line[4] == 'y' && line[5] == ':') {
            parseRetry(Math.min(length, LINE_KEEP));
        }
    }

    // retry: <digits>; anything else is ignored, as the spec says.
    private void parseRetry(int length) {
        int i = length > 6 && line[6] == ' ' ? 7 : 6;
        long millis = 0;
        int digits = 0;
        for (; i < length && line[i] >= '0' && line[i] <= '9' && digits < 18; i++, digits++) {
            millis = millis * 10 + (line[i] - '0');
        }
        if (digits > 0 && i == length) {
            retryMillis = millis;
            retryLines++;
        }
    }

    // data: <seq> <micros>[ padding]; anything else leaves eventSeq at -1.
    private void parseData(int length) {
        int i = line[5] == ' ' ? 6 : 5;
        long seq = 0;
        int digits = 0;
        for (; i < length && line[i] >= '0' && line[i] <= '9'; i++, digits++) {
            seq = seq * 10 + (line[i] - '0');
        }
        if (digits == 0 || i >= length || line[i] != ' ') {
            return;
        }
        long micros = 0;
        digits = 0;
        for (i++; i < length && line[i] >= '0' && line[i] <= '9'; i++, digits++) {
            micros = micros * 10 + (line[i] - '0');
        }
        if (digits >= 13 && (i == length || line[i] == ' ')) {
            eventSeq = seq;
            eventMicros = micros;
        }
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
