package dev.ssehub.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The non-blocking load client: a couple of selector threads holding thousands of {@code GET /stream} connections,
 * their source addresses spread over 127.0.0.x so that no address runs out of ephemeral ports. Every delivered
 * event's publish-to-receive latency goes into a histogram (microseconds). Events carry the publisher's sequence
 * numbers, so each stream knows which events of a measuring window it got; the ones it did not are missing.
 *
 * <p>The orchestrating thread opens connections and asks for counts; each connection belongs to one selector
 * thread, which alone reads it. Questions about the connections (missing events, stalling some) are tasks run on
 * their selector threads.
 */
final class LoadClient implements AutoCloseable {

    /** Failures by kind, counted since the client started. */
    record Failures(long refused, long reset, long closedByServer, long badStatus, long unanswered, long other) {
        long total() {
            return refused + reset + closedByServer + badStatus + unanswered + other;
        }

        Failures minus(Failures before) {
            return new Failures(refused - before.refused, reset - before.reset,
                    closedByServer - before.closedByServer, badStatus - before.badStatus, unanswered,
                    other - before.other);
        }

        @Override
        public String toString() {
            return "refused " + refused + ", reset " + reset + ", closed by server " + closedByServer
                    + ", non-200 " + badStatus + ", unanswered " + unanswered + ", other " + other;
        }
    }

    private static final int PER_SOURCE_ADDRESS = 2000;
    private static final int STALLABLE_RECEIVE_BUFFER = 4096;

    private final InetSocketAddress server;
    private final byte[] request;
    private final byte[] stallableRequest;
    private final int addressBase;
    private final long answerTimeoutMicros;
    private final Loop[] loops;

    private final Recorder latency = new Recorder(3);
    private final LongAdder windowDeliveries = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder otherEvents = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder reset = new LongAdder();
    private final LongAdder closedByServer = new LongAdder();
    private final LongAdder badStatus = new LongAdder();
    private final LongAdder other = new LongAdder();
    private final AtomicInteger waiting = new AtomicInteger(); // connect sent, no head yet, not timed out
    private final AtomicInteger unanswered = new AtomicInteger(); // no head within the timeout, still open
    private final AtomicInteger held = new AtomicInteger(); // 200 received, still open

    // Events with a sequence number from here on count in the current window; Long.MAX_VALUE: no window.
    private volatile long windowStart = Long.MAX_VALUE;
    private int opened; // by the orchestrating thread

    /**
     * @param path           e.g. {@code /stream?topic=bench}
     * @param stallablePath  the path of every 100th stream, the ones that may be stalled later
     * @param addressBase    the first source address's last octet offset, so consecutive clients use fresh ports
     */
    LoadClient(InetSocketAddress server, String path, String stallablePath, int selectorThreads, int addressBase,
               long answerTimeoutMillis) throws IOException {
        this.server = server;
        this.request = request(server, path);
        this.stallableRequest = request(server, stallablePath);
        this.addressBase = addressBase;
        this.answerTimeoutMicros = answerTimeoutMillis * 1000;
        this.loops = new Loop[selectorThreads];
        for (int i = 0; i < selectorThreads; i++) {
            loops[i] = new Loop(i);
            loops[i].io.start();
        }
    }

    /**
     * Opens connections until {@code total} have been asked for, with at most {@code window} waiting for their
     * response head at a time, then waits until none is waiting (each waits at most the answer timeout).
     * Every 100th connection is "stallable": it has a small receive buffer and may later stop reading.
     */
    void openUpTo(int total, int window) throws InterruptedException {
        while (opened < total) {
            if (waiting.get() >= window) {
                Thread.sleep(1);
                continue;
            }
            int index = opened++;
            boolean stallable = index % 100 == 50;
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (stallable) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, STALLABLE_RECEIVE_BUFFER);
                }
                channel.bind(new InetSocketAddress(sourceAddress(index), 0));
                channel.configureBlocking(false);
                channel.connect(server);
                waiting.incrementAndGet();
                loops[index % loops.length].add(new Connection(channel, stallable));
            } catch (ConnectException e) {
                refused.increment();
                SelectorLoop.closeQuietly(channel);
            } catch (IOException e) {
                other.increment();
                SelectorLoop.closeQuietly(channel);
            }
        }
        while (waiting.get() > 0) {
            Thread.sleep(5);
        }
    }

    int held() {
        return held.get();
    }

    int asked() {
        return opened;
    }

    Failures failures() {
        return new Failures(refused.sum(), reset.sum(), closedByServer.sum(), badStatus.sum(), unanswered.get(),
                other.sum());
    }

    long deliveries() {
        return deliveries.sum();
    }

    long otherEvents() {
        return otherEvents.sum();
    }

    /** Starts counting events with sequence numbers from {@code firstSeq}; the latency histogram starts empty. */
    void startWindow(long firstSeq) {
        windowStart = firstSeq;
        windowDeliveries.reset();
        latency.getIntervalHistogram();
    }

    /** Ends the window: the latencies of its events in microseconds, and how many were delivered. */
    Histogram endWindow() {
        windowStart = Long.MAX_VALUE;
        return latency.getIntervalHistogram();
    }

    long windowDeliveries() {
        return windowDeliveries.sum();
    }

    /** Events of the window not (yet) received by the open, reading streams, if {@code lastSeq} was the last. */
    long missing(long firstSeq, long lastSeq) {
        return onEveryLoop(loop -> loop.missing(firstSeq, lastSeq));
    }

    /**
     * The open, reading streams by the order they received the window's events in (a fingerprint of the sequence
     * numbers as read): one key when every stream read the same events in the same order.
     */
    Map<Long, Long> orders(long firstSeq) {
        Map<Long, Long> streams = new HashMap<>();
        askEveryLoop(loop -> loop.orders(firstSeq)).forEach(m -> m.forEach((order, n) -> streams.merge(order, n,
                Long::sum)));
        return streams;
    }

    /** Stops reading on every open stallable stream; returns how many stopped. */
    long stallStallable() {
        return onEveryLoop(Loop::stall);
    }

    /** Reads the stalled streams again, so that those the server closed meanwhile are seen closed. */
    void resumeStalled() {
        onEveryLoop(Loop::resume);
    }

    /** Open, reading streams: held streams that were not stalled. */
    long reading() {
        return onEveryLoop(Loop::reading);
    }

    @Override
    public void close() {
        for (Loop loop : loops) {
            loop.io.close();
        }
    }

    private static byte[] request(InetSocketAddress server, String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private String sourceAddress(int index) {
        return "127.0.0." + (2 + (addressBase + index / PER_SOURCE_ADDRESS) % 250);
    }

    private long onEveryLoop(Function<Loop, Long> question) {
        return askEveryLoop(question).stream().mapToLong(Long::longValue).sum();
    }

    private <T> List<T> askEveryLoop(Function<Loop, T> question) {
        List<CompletableFuture<T>> answers = new ArrayList<>();
        for (Loop loop : loops) {
            CompletableFuture<T> answer = new CompletableFuture<>();
            loop.run(() -> answer.complete(question.apply(loop)));
            answers.add(answer);
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    /** One connection and what its selector thread knows about it. */
    private final class Connection implements StreamReader.Events {
        final SocketChannel channel;
        final boolean stallable;
        final StreamReader reader = new StreamReader();
        final long openedMicros = BenchClock.nowMicros();
        SelectionKey key;
        boolean timedOut;
        boolean open = true;
        boolean stalled;
        long windowMark = Long.MIN_VALUE;
        long receivedInWindow;
        long orderInWindow; // a fingerprint of the window's sequence numbers in the order read
        long receivedMicros;

        Connection(SocketChannel channel, boolean stallable) {
            this.channel = channel;
            this.stallable = stallable;
        }

        @Override
        public void onEvent(long seq, long publishMicros) {
            deliveries.increment();
            long start = windowStart;
            if (seq >= start) {
                if (windowMark != start) {
                    windowMark = start;
                    receivedInWindow = 0;
                    orderInWindow = 0;
                }
                receivedInWindow++;
                orderInWindow = orderInWindow * 1_000_003 + seq;
                windowDeliveries.increment();
                latency.recordValue(Math.max(0, receivedMicros - publishMicros));
            }
        }

        @Override
        public void onOtherEvent() {
            deliveries.increment();
            otherEvents.increment();
        }

        boolean isHeld() {
            return open && reader.headRead() && reader.status() == 200;
        }
    }

    /** A selector thread and the connections it owns. */
    private final class Loop implements SelectorLoop.Owner {
        final SelectorLoop io;
        final List<Connection> connections = new ArrayList<>();
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

        Loop(int index) throws IOException {
            this.io = new SelectorLoop("load-client-" + index, 200, this);
        }

        void add(Connection connection) {
            run(() -> {
                connections.add(connection);
                try {
                    connection.key = io.register(connection.channel, SelectionKey.OP_CONNECT, connection);
                } catch (IOException e) {
                    fail(connection, other);
                }
            });
        }

        void run(Runnable task) {
            io.run(task);
        }

        @Override
        public void connectable(SelectionKey key) {
            connect((Connection) key.attachment());
        }

        @Override
        public void readable(SelectionKey key) {
            read((Connection) key.attachment());
        }

        @Override
        public void tick() {
            timeOut(BenchClock.nowMicros());
        }

        private void connect(Connection connection) {
            try {
                connection.channel.finishConnect();
                connection.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                // ~100 bytes into an empty socket buffer
                connection.channel.write(ByteBuffer.wrap(connection.stallable ? stallableRequest : request));
                connection.key.interestOps(SelectionKey.OP_READ);
            } catch (ConnectException e) {
                fail(connection, refused);
            } catch (IOException e) {
                fail(connection, reset);
            }
        }

        private void read(Connection connection) {
            try {
                buffer.clear();
                int n = connection.channel.read(buffer);
                connection.receivedMicros = BenchClock.nowMicros();
                if (n < 0) {
                    fail(connection, closedByServer);
                    return;
                }
                boolean hadHead = connection.reader.headRead();
                if (!connection.reader.feed(buffer.array(), 0, n, connection)) {
                    fail(connection, badStatus);
                    return;
                }
                if (!hadHead && connection.reader.headRead()) {
                    answered(connection);
                    if (connection.reader.status() != 200) {
                        fail(connection, badStatus);
                    }
                } else if (connection.reader.ended()) {
                    fail(connection, closedByServer);
                }
            } catch (IOException e) {
                fail(connection, reset);
            }
        }

        private void answered(Connection connection) {
            if (connection.timedOut) {
                unanswered.decrementAndGet();
            } else {
                waiting.decrementAndGet();
            }
            if (connection.reader.status() == 200) {
                held.incrementAndGet();
            }
        }

        private void fail(Connection connection, LongAdder kind) {
            if (!connection.open) {
                return;
            }
            if (connection.isHeld()) {
                held.decrementAndGet();
            } else if (!connection.reader.headRead()) {
                if (connection.timedOut) {
                    unanswered.decrementAndGet();
                } else {
                    waiting.decrementAndGet();
                }
            }
            connection.open = false;
            kind.increment();
            if (connection.key != null) {
                connection.key.cancel();
            }
            SelectorLoop.closeQuietly(connection.channel);
        }

        // A connection without a response head after the timeout counts as unanswered; it stays open.
        private void timeOut(long now) {
            for (Connection connection : connections) {
                if (connection.open && !connection.timedOut && !connection.reader.headRead()
                        && now - connection.openedMicros > answerTimeoutMicros) {
                    connection.timedOut = true;
                    waiting.decrementAndGet();
                    unanswered.incrementAndGet();
                }
            }
        }

        long missing(long firstSeq, long lastSeq) {
            long missing = 0;
            for (Connection connection : connections) {
                if (connection.isHeld() && !connection.stalled) {
                    long received = connection.windowMark == firstSeq ? connection.receivedInWindow : 0;
                    missing += Math.max(0, lastSeq - firstSeq + 1 - received);
                }
            }
            return missing;
        }

        Map<Long, Long> orders(long firstSeq) {
            Map<Long, Long> streams = new HashMap<>();
            for (Connection connection : connections) {
                if (connection.isHeld() && !connection.stalled) {
                    streams.merge(connection.windowMark == firstSeq ? connection.orderInWindow : 0, 1L, Long::sum);
                }
            }
            return streams;
        }

        long stall() {
            long stalled = 0;
            for (Connection connection : connections) {
                if (connection.isHeld() && connection.stallable && !connection.stalled) {
                    connection.stalled = true;
                    connection.key.interestOps(0);
                    stalled++;
                }
            }
            return stalled;
        }

        long resume() {
            for (Connection connection : connections) {
                if (connection.open && connection.stalled) {
                    connection.key.interestOps(SelectionKey.OP_READ);
                }
            }
            return 0;
        }

        long reading() {
            return connections.stream().filter(c -> c.isHeld() && !c.stalled).count();
        }
    }
}
