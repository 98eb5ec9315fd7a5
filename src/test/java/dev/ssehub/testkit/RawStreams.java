package dev.ssehub.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many HTTP/1.1 {@code GET} event streams read by one selector thread, for tests that need hundreds of streams
 * without a thread each. Each stream records its raw bytes; it has ended when the server sent the last chunk of a
 * chunked body or closed the connection.
 */
public final class RawStreams implements AutoCloseable {

    private static final byte[] LAST_CHUNK = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final List<Stream> streams = new ArrayList<>();
    private final Selector selector;
    private final Thread reader;
    private final AtomicInteger ended = new AtomicInteger();

    private RawStreams(Selector selector) {
        this.selector = selector;
        this.reader = new Thread(this::read, "raw-streams-reader");
        this.reader.setDaemon(true);
    }

    /** Connects {@code count} streams to {@code uri} and sends each its request; reading starts at once. */
    public static RawStreams open(URI uri, int count) throws IOException {
        RawStreams crowd = new RawStreams(Selector.open());
        byte[] request = request(uri);
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
            channel.write(ByteBuffer.wrap(request)); // a few bytes into an empty socket buffer: written at once
            channel.configureBlocking(false);
            crowd.streams.add(new Stream(channel));
        }
        for (Stream stream : crowd.streams) {
            stream.channel.register(crowd.selector, SelectionKey.OP_READ, stream);
        }
        crowd.reader.start();
        return crowd;
    }

    /** The request line and headers of an EventSource's {@code GET}. */
    public static byte[] request(URI uri) {
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return ("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    public int size() {
        return streams.size();
    }

    public int endedCount() {
        return ended.get();
    }

    /** Waits until every stream has ended; fails naming how many did not. */
    public void awaitAllEnded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ended.get() < streams.size()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError((streams.size() - ended.get()) + " of " + streams.size()
                        + " streams did not end within " + timeout);
            }
            Thread.sleep(10);
        }
    }

    /** What stream {@code i} was sent after its headers, with the chunked framing removed. Only once it ended. */
    public byte[] body(int i) {
        Stream stream = streams.get(i);
        synchronized (stream) {
            return dechunk(stream.received.toByteArray());
        }
    }

    /** Whether stream {@code i} got a complete chunked body, that is the server ended it rather than dropped it. */
    public boolean endedWithLastChunk(int i) {
        Stream stream = streams.get(i);
        synchronized (stream) {
            return stream.lastChunk;
        }
    }

    @Override
    public void close() throws IOException {
        reader.interrupt();
        selector.close();
        for (Stream stream : streams) {
            stream.channel.close();
        }
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (!Thread.currentThread().isInterrupted() && selector.isOpen()) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Stream stream = (Stream) key.attachment();
                    buffer.clear();
                    int n;
                    try {
                        n = stream.channel.read(buffer);
                    } catch (IOException reset) {
                        n = -1;
                    }
                    if (stream.take(buffer, n)) {
                        key.cancel();
                        ended.incrementAndGet();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed by the test
        }
    }

    // Parses "HTTP/1.1 200 ...\r\n...\r\n\r\n" then "<hex>\r\n<data>\r\n"... up to the last chunk or the end.
    private static byte[] dechunk(byte[] raw) {
        int at = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (at < 0) {
            return new byte[0];
        }
        at += 4;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (at < raw.length) {
            int lineEnd = indexOf(raw, new byte[] {'\r', '\n'}, at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII).trim(), 16);
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            body.write(raw, start, Math.min(size, raw.length - start));
            at = start + size + 2;
        }
        return body.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i <= haystack.length - needle.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static final class Stream {

        final SocketChannel channel;
        // Guarded by this: written by the reader thread, read by the test.
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean lastChunk;
        // The newest bytes, as many as the last chunk has, oldest first.
        private final byte[] tail = new byte[LAST_CHUNK.length];

        Stream(SocketChannel channel) {
            this.channel = channel;
        }

        // True when the stream has ended with these bytes (n < 0: the server closed or reset the connection).
        synchronized boolean take(ByteBuffer buffer, int n) {
            if (n < 0) {
                return true;
            }
            received.write(buffer.array(), 0, n);
            int keep = Math.min(n, tail.length);
            System.arraycopy(tail, keep, tail, 0, tail.length - keep);
            System.arraycopy(buffer.array(), n - keep, tail, tail.length - keep, keep);
            lastChunk = Arrays.equals(tail, LAST_CHUNK);
            return lastChunk;
        }
    }
}
