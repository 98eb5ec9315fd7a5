package dev.ssehub.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients reconnecting in a loop, for the storm scenario: each sends {@code GET <path>} with an old
 * {@code Last-Event-ID}, reads until it has the replay it asked for (a number of events), the server ends the
 * response, a byte cap is reached or nothing came for a while, closes, and connects again at once. Each selector
 * thread owns its connections; the counts are read by anyone. Source addresses rotate over 127.0.2.1–250, so a
 * thousand reconnects a second leave their TIME_WAIT ports spread over many addresses.
 */
final class Stormers implements AutoCloseable {

    /** What the loop did since it started. {@code endedByServer} includes ssehub's replay page break. */
    record Counts(long reconnects, long bytes, long events, long complete, long endedByServer, long capped, long idle,
                  long nonOk, long failed) {

        Counts minus(Counts before) {
            return new Counts(reconnects - before.reconnects, bytes - before.bytes, events - before.events,
                    complete - before.complete, endedByServer - before.endedByServer, capped - before.capped,
                    idle - before.idle, nonOk - before.nonOk, failed - before.failed);
        }
    }

    private static final long RETRY_AFTER_FAILURE_MICROS = 100_000;

    private final InetSocketAddress server;
    private final byte[] request;
    private final long replayEvents;
    private final long capBytes;
    private final long idleMicros;
    private final List<Loop> loops = new ArrayList<>();

    private final LongAdder reconnects = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder complete = new LongAdder();
    private final LongAdder endedByServer = new LongAdder();
    private final LongAdder capped = new LongAdder();
    private final LongAdder idle = new LongAdder();
    private final LongAdder nonOk = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /**
     * Starts {@code count} stormers at once.
     *
     * @param replayEvents events after {@code lastEventId} in the topics: a stormer that has them closes
     */
    Stormers(InetSocketAddress server, String path, String lastEventId, long replayEvents, int count, int threads,
             long capBytes, long idleMillis) throws IOException {
        this.server = server;
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\nLast-Event-ID: " + lastEventId
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.replayEvents = replayEvents;
        this.capBytes = capBytes;
        this.idleMicros = idleMillis * 1000;
        for (int i = 0; i < threads; i++) {
            loops.add(new Loop(i, count / threads + (i < count % threads ? 1 : 0)));
        }
        loops.forEach(loop -> loop.io.start());
    }

    Counts counts() {
        return new Counts(reconnects.sum(), bytes.sum(), events.sum(), complete.sum(), endedByServer.sum(),
                capped.sum(), idle.sum(), nonOk.sum(), failed.sum());
    }

    /** Stops every loop; each closes its connections. */
    @Override
    public void close() {
        loops.forEach(loop -> loop.io.close());
    }

    /** One stormer's current connection. */
    private static final class Stormer implements StreamReader.Events {
        final SocketChannel channel;
        final StreamReader reader = new StreamReader();
        SelectionKey key;
        long events;
        long bytes;
        long lastActivityMicros = BenchClock.nowMicros();

        Stormer(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void onEvent(long seq, long publishMicros) {
            events++;
        }

        @Override
        public void onOtherEvent() {
            events++;
        }
    }

    /** A selector thread and its stormers. */
    private final class Loop implements SelectorLoop.Owner {
        final SelectorLoop io;
        final int index;
        final List<Stormer> open = new ArrayList<>();
        final List<Long> retryAt = new ArrayList<>(); // micros; stormers waiting after a failed connect
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        int connects;

        Loop(int index, int count) throws IOException {
            this.index = index;
            this.io = new SelectorLoop("stormers-" + index, 50, this);
            io.run(() -> {
                for (int i = 0; i < count; i++) {
                    connect();
                }
            });
        }

        @Override
        public void connectable(SelectionKey key) {
            finishConnect((Stormer) key.attachment());
        }

        @Override
        public void readable(SelectionKey key) {
            read((Stormer) key.attachment());
        }

        @Override
        public void tick() {
            long now = BenchClock.nowMicros();
            retryDue(now);
            for (Stormer stormer : List.copyOf(open)) {
                if (now - stormer.lastActivityMicros > idleMicros) {
                    end(stormer, idle);
                }
            }
        }

        private void connect() {
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                int address = 1 + (connects++ * loops.size() + index) % 250;
                channel.bind(new InetSocketAddress("127.0.2." + address, 0));
                channel.configureBlocking(false);
                channel.connect(server);
                Stormer stormer = new Stormer(channel);
                stormer.key = io.register(channel, SelectionKey.OP_CONNECT, stormer);
                open.add(stormer);
            } catch (IOException e) {
                failed.increment();
                SelectorLoop.closeQuietly(channel);
                retryAt.add(BenchClock.nowMicros() + RETRY_AFTER_FAILURE_MICROS);
            }
        }

        private void retryDue(long now) {
            int due = 0;
            for (int i = retryAt.size() - 1; i >= 0; i--) {
                if (retryAt.get(i) <= now) {
                    retryAt.remove(i);
                    due++;
                }
            }
            for (int i = 0; i < due && io.running(); i++) {
                connect();
            }
        }

        private void finishConnect(Stormer stormer) {
            try {
                stormer.channel.finishConnect();
                stormer.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                stormer.channel.write(ByteBuffer.wrap(request)); // ~300 bytes into an empty socket buffer
                stormer.key.interestOps(SelectionKey.OP_READ);
                stormer.lastActivityMicros = BenchClock.nowMicros();
            } catch (IOException e) {
                fail(stormer);
            }
        }

        private void read(Stormer stormer) {
            try {
                buffer.clear();
                int n = stormer.channel.read(buffer);
                if (n < 0) {
                    end(stormer, stormer.reader.headRead() ? endedByServer : failed);
                    return;
                }
                stormer.lastActivityMicros = BenchClock.nowMicros();
                stormer.bytes += n;
                bytes.add(n);
                long eventsBefore = stormer.events;
                if (!stormer.reader.feed(buffer.array(), 0, n, stormer)) {
                    end(stormer, nonOk);
                    return;
                }
                events.add(stormer.events - eventsBefore);
                if (stormer.reader.headRead() && stormer.reader.status() != 200) {
                    end(stormer, nonOk);
                } else if (stormer.events >= replayEvents) {
                    end(stormer, complete);
                } else if (stormer.reader.ended()) {
                    end(stormer, endedByServer);
                } else if (stormer.bytes >= capBytes) {
                    end(stormer, capped);
                }
            } catch (IOException e) {
                fail(stormer);
            }
        }

        private void fail(Stormer stormer) {
            open.remove(stormer);
            stormer.key.cancel();
            SelectorLoop.closeQuietly(stormer.channel);
            failed.increment();
            retryAt.add(BenchClock.nowMicros() + RETRY_AFTER_FAILURE_MICROS);
        }

        // Closes the stormer's connection and connects again at once, with the same old Last-Event-ID.
        private void end(Stormer stormer, LongAdder how) {
            open.remove(stormer);
            stormer.key.cancel();
            SelectorLoop.closeQuietly(stormer.channel);
            how.increment();
            reconnects.increment();
            if (io.running()) {
                connect();
            }
        }
    }
}
