package dev.ssehub.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor: no servlet container, no queues, no HTTP framework. One selector thread accepts connections and reads
 * requests; {@code GET /stream} gets response headers and joins the list of streams; {@code POST /publish} encodes
 * the event once into a direct buffer and two threads write it to every stream, each to one half of the list.
 * A stream whose socket cannot take the whole frame at once is closed (a floor does not queue).
 * Close-delimited bodies, no chunking; no topics, no replay.
 */
final class NioFloorServer implements AutoCloseable {

    private static final byte[] STREAM_HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream;charset=UTF-8\r\n"
            + "Cache-Control: no-cache\r\nConnection: close\r\n\r\nretry: 3000\n\n").getBytes(StandardCharsets.US_ASCII);

    private final Selector selector;
    private final ServerSocketChannel server;
    private final String expectedAuthorization;
    private final ExecutorService fanOut = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "floor-fan-out");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread loop;
    // Owned by the selector thread.
    private final List<SocketChannel> streams = new ArrayList<>();
    private final long epoch = System.currentTimeMillis();
    private long sequence;
    private volatile boolean running = true;

    private NioFloorServer(String publishToken) throws IOException {
        this.expectedAuthorization = "bearer " + publishToken;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.loop = new Thread(this::run, "floor-selector");
    }

    static NioFloorServer start(String publishToken) throws IOException {
        NioFloorServer floor = new NioFloorServer(publishToken);
        floor.loop.start();
        return floor;
    }

    int port() {
        return server.socket().getLocalPort();
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        fanOut.shutdownNow();
        server.close();
    }

    private void run() {
        ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (running) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable()) {
                        read(key, readBuffer);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                e.printStackTrace();
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Request());
        }
    }

    private void read(SelectionKey key, ByteBuffer buffer) {
        SocketChannel channel = (SocketChannel) key.channel();
        Object attachment = key.attachment();
        try {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                drop(key);
                return;
            }
            if (!(attachment instanceof Request request)) {
                return; // a stream's client sends nothing more; bytes are ignored
            }
            buffer.flip();
            request.append(buffer);
            while (request.isComplete()) {
                if (request.isStream()) {
                    channel.write(ByteBuffer.wrap(STREAM_HEAD));
                    key.attach(Boolean.TRUE);
                    streams.add(channel);
                    return;
                }
                byte[] answer = publish(request);
                channel.write(ByteBuffer.wrap(answer)); // tiny: fits the socket buffer
                request.consume();
            }
        } catch (IOException e) {
            drop(key);
        }
    }

    private void drop(SelectionKey key) {
        key.cancel();
        streams.remove((SocketChannel) key.channel());
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // gone already
        }
    }

    private byte[] publish(Request request) {
        if (!expectedAuthorization.equals(request.header("authorization"))) {
            return response("401 Unauthorized", "wrong token");
        }
        String data = request.formField("data");
        if (data == null) {
            return response("400 Bad Request", "missing data");
        }
        sequence++;
        byte[] frame = ("id: " + epoch + "-" + sequence + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer shared = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
        SocketChannel[] all = streams.toArray(new SocketChannel[0]);
        int half = all.length / 2;
        Future<List<SocketChannel>> first = fanOut.submit(() -> writeAll(all, 0, half, shared.duplicate()));
        Future<List<SocketChannel>> second = fanOut.submit(() -> writeAll(all, half, all.length, shared.duplicate()));
        try {
            List<SocketChannel> failed = new ArrayList<>(first.get());
            failed.addAll(second.get());
            for (SocketChannel channel : failed) {
                drop(channel.keyFor(selector));
            }
        } catch (Exception e) {
            return response("500 Internal Server Error", e.toString());
        }
        return response("200 OK", "{\"id\":\"" + epoch + "-" + sequence + "\"}");
    }

    private static List<SocketChannel> writeAll(SocketChannel[] channels, int from, int to, ByteBuffer frame) {
        List<SocketChannel> failed = new ArrayList<>();
        for (int i = from; i < to; i++) {
            frame.rewind();
            try {
                channels[i].write(frame);
                if (frame.hasRemaining()) {
                    failed.add(channels[i]);
                }
            } catch (IOException e) {
                failed.add(channels[i]);
            }
        }
        return failed;
    }

    private static byte[] response(String status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + bytes.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(bytes, 0, all, headBytes.length, bytes.length);
        return all;
    }

    /** One request being read: the head, then a body of Content-Length bytes. */
    private static final class Request {
        private byte[] bytes = new byte[1024];
        private int length;
        private int headEnd = -1;
        private int bodyLength;

        void append(ByteBuffer buffer) {
            if (length + buffer.remaining() > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + buffer.remaining()));
            }
            int n = buffer.remaining();
            buffer.get(bytes, length, n);
            length += n;
        }

        boolean isComplete() {
            if (headEnd < 0) {
                for (int i = 3; i < length; i++) {
                    if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                        headEnd = i + 1;
                        String declared = header("content-length");
                        bodyLength = declared == null ? 0 : Integer.parseInt(declared.trim());
                        break;
                    }
                }
            }
            return headEnd >= 0 && length >= headEnd + bodyLength;
        }

        boolean isStream() {
            return head().startsWith("GET ");
        }

        String header(String name) {
            for (String line : head().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    String value = line.substring(colon + 1).trim();
                    return name.equals("authorization") ? value.replaceFirst("(?i)^bearer", "bearer") : value;
                }
            }
            return null;
        }

        String formField(String name) {
            String body = new String(bytes, headEnd, bodyLength, StandardCharsets.UTF_8);
            for (String pair : body.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).equals(name)) {
                    return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        void consume() {
            int used = headEnd + bodyLength;
            System.arraycopy(bytes, used, bytes, 0, length - used);
            length -= used;
            headEnd = -1;
            bodyLength = 0;
        }

        private String head() {
            int end = headEnd < 0 ? length : headEnd;
            return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        }
    }
}
