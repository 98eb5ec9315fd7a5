package dev.ssehub.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Slow publishers, for the slow-body scenario: connections that send a {@code POST /publish} head announcing a
 * large body and then one byte of it at a long interval, never finishing. One selector thread owns them; it notes
 * how each ended: an answer from the server (its status, e.g. 408 from a body-read deadline), the server closing
 * or resetting the connection, or not at all (still open when asked).
 */
final class SlowBodies implements AutoCloseable {

    /** How the connections stand: answered by status, closed without an answer, still open; seconds to an end. */
    record Outcomes(int opened, int answered408, int answeredOther, int closed, int open, double medianSecondsToEnd) {
    }

    private final InetSocketAddress server;
    private final byte[] head;
    private final SelectorLoop io;
    private final List<Slow> connections = new ArrayList<>(); // by the selector thread
    private final ByteBuffer buffer = ByteBuffer.allocate(4096);

    SlowBodies(InetSocketAddress server, String token, int contentLength, long byteIntervalMillis) throws IOException {
        this.server = server;
        this.head = ("POST /publish HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + contentLength
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.io = new SelectorLoop("slow-bodies", byteIntervalMillis, new SelectorLoop.Owner() {
            @Override
            public void connectable(SelectionKey key) {
                ((Slow) key.attachment()).finishConnect();
            }

            @Override
            public void readable(SelectionKey key) {
                ((Slow) key.attachment()).read();
            }

            @Override
            public void tick() {
                connections.forEach(Slow::sendOneByte);
            }
        });
        io.start();
    }

    /** Opens {@code count} connections, each sending its head; returns once all are connected or failed. */
    void open(int count) throws InterruptedException {
        io.ask(() -> {
            for (int i = 0; i < count; i++) {
                connections.add(new Slow(i));
            }
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (io.ask(() -> connections.stream().anyMatch(slow -> slow.connecting)) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    Outcomes outcomes() {
        return io.ask(() -> {
            int answered408 = 0;
            int answeredOther = 0;
            int closed = 0;
            int open = 0;
            Histogram toEnd = new Histogram(3);
            for (Slow slow : connections) {
                if (slow.endedNanos == 0) {
                    open++;
                    continue;
                }
                toEnd.recordValue(TimeUnit.NANOSECONDS.toMillis(slow.endedNanos - slow.openedNanos));
                if (slow.status == 408) {
                    answered408++;
                } else if (slow.status > 0) {
                    answeredOther++;
                } else {
                    closed++;
                }
            }
            double median = toEnd.getTotalCount() == 0 ? Double.NaN : toEnd.getValueAtPercentile(50) / 1000.0;
            return new Outcomes(connections.size(), answered408, answeredOther, closed, open, median);
        });
    }

    /** Closes the connections still open. */
    @Override
    public void close() {
        io.close();
    }

    /** One slow connection, owned by the selector thread. */
    private final class Slow {
        final long openedNanos = System.nanoTime();
        SocketChannel channel;
        SelectionKey key;
        boolean connecting = true;
        long endedNanos;
        int status;
        final StringBuilder answer = new StringBuilder();

        Slow(int index) {
            try {
                channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.bind(new InetSocketAddress("127.0.3." + (1 + index % 250), 0));
                channel.configureBlocking(false);
                channel.connect(server);
                key = io.register(channel, SelectionKey.OP_CONNECT, this);
            } catch (IOException e) {
                end(0);
            }
        }

        void finishConnect() {
            try {
                channel.finishConnect();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.write(ByteBuffer.wrap(head));
                key.interestOps(SelectionKey.OP_READ);
                connecting = false;
            } catch (IOException e) {
                end(0);
            }
        }

        // Not a valid form field: the body never completes, so nothing is ever published.
        void sendOneByte() {
            if (endedNanos == 0 && !connecting) {
                try {
                    channel.write(ByteBuffer.wrap(new byte[] {'x'}));
                } catch (IOException e) {
                    end(0);
                }
            }
        }

        // Keeps the status line of an answer; the server closing before one is "closed".
        void read() {
            try {
                buffer.clear();
                int n = channel.read(buffer);
                if (n > 0 && answer.length() < 12) {
                    answer.append(new String(buffer.array(), 0, n, StandardCharsets.ISO_8859_1));
                }
                if (answer.length() >= 12 && answer.toString().startsWith("HTTP/1.")) {
                    end(Integer.parseInt(answer.substring(9, 12)));
                } else if (n < 0) {
                    end(0);
                }
            } catch (IOException | NumberFormatException e) {
                end(0);
            }
        }

        void end(int answerStatus) {
            if (endedNanos == 0) {
                endedNanos = System.nanoTime();
                status = answerStatus;
                connecting = false;
            }
            if (key != null) {
                key.cancel();
            }
            SelectorLoop.closeQuietly(channel);
        }
    }
}
