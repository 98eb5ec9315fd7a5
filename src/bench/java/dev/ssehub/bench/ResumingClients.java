package dev.ssehub.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients that resume as an EventSource does: each holds one stream at a time, keeps the last event id it was sent
 * and the last {@code retry:} hint, and comes back with {@code Last-Event-ID} when its connection ends — at once when
 * the benchmark closes it ({@link #cycle}, the soak's reconnects), after the retry hint when the server ends it (a
 * farewell, a replay page, a stream turned away), to whichever server is the target by then ({@link #retarget}, the
 * drain's second node).
 *
 * <p>Each client counts the window's numbered events in a bit set by sequence number across all its connections, so
 * an event it got twice, or never, shows. The orchestrating thread asks; each client belongs to one selector thread,
 * which alone reads it.
 */
final class ResumingClients implements AutoCloseable {

    /**
     * Counts since the start. Of the streams the server ended: {@code cleanEnds} with their last chunk,
     * {@code lateRetries} after a {@code retry:} beyond the first (ssehub sends one as a stream starts, and one as
     * its farewell). {@code failed}: refused, reset, unanswered or non-200 connects (each retried).
     */
    record Counts(long connects, long cycled, long serverEnds, long cleanEnds, long lateRetries, long failed,
                  long deliveries, long replayed) {
    }

    /**
     * Events of the window each connected client missed or got twice, and the clients not connected now. Of the
     * missing, {@code missingUnplaced} are those of clients that came back without a {@code Last-Event-ID}: they had
     * no id to resume from, as an EventSource that never received one, so the server could not know what they lacked.
     */
    record Tally(long missing, long missingUnplaced, long duplicates, long notConnected) {
    }

    /** A reconnect after the server ended a stream: when it ended, the retry hint then, when the next answered. */
    record Return(long endedMicros, long retryMillis, long connectMicros, long answeredMicros) {
    }

    private static final int PER_SOURCE_ADDRESS = 2000;
    private static final long DEFAULT_RETRY_MILLIS = 3000; // what a browser waits before the server said otherwise

    private final String path;
    private final int addressBase;
    private final long answerTimeoutMicros;
    private final List<Loop> loops = new ArrayList<>();
    private volatile InetSocketAddress target;
    // Numbered events from here on count in the window; Long.MAX_VALUE: no window.
    private volatile long windowStart = Long.MAX_VALUE;
    private int created; // by the orchestrating thread

    private final AtomicInteger queued = new AtomicInteger(); // handed to a selector thread, not yet connecting
    private final AtomicInteger waiting = new AtomicInteger(); // connect sent, no head yet
    private final AtomicInteger held = new AtomicInteger(); // 200 received, still open
    private final LongAdder connects = new LongAdder();
    private final LongAdder cycled = new LongAdder();
    private final LongAdder serverEnds = new LongAdder();
    private final LongAdder cleanEnds = new LongAdder();
    private final LongAdder lateRetries = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final AtomicInteger reconnectAddress = new AtomicInteger();

    /**
     * @param path        e.g. {@code /stream?topic=bench}
     * @param addressBase the first source address's offset, so that consecutive clients use fresh ports
     */
    ResumingClients(InetSocketAddress server, String path, int selectorThreads, int addressBase,
                    long answerTimeoutMillis) throws IOException {
        this.target = server;
        this.path = path;
        this.addressBase = addressBase;
        this.answerTimeoutMicros = answerTimeoutMillis * 1000;
        for (int i = 0; i < selectorThreads; i++) {
            Loop loop = new Loop(i);
            loops.add(loop);
            loop.io.start();
        }
    }

    /** Opens {@code count} more clients, at most {@code window} waiting for a response head at a time. */
    void open(int count, int window) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            while (queued.get() + waiting.get() >= window) {
                Thread.sleep(1);
            }
            int index = created++;
            String source = "127.0.0." + (2 + (addressBase + index / PER_SOURCE_ADDRESS) % 250);
            Loop loop = loops.get(index % loops.size());
            queued.incrementAndGet();
            loop.io.run(() -> {
                Client client = new Client();
                loop.clients.add(client);
                loop.connect(client, source);
                queued.decrementAndGet();
            });
        }
        while (queued.get() + waiting.get() > 0) {
            Thread.sleep(5);
        }
    }

    /** Where clients go from now on when they come back (the next node when this one stops). */
    void retarget(InetSocketAddress server) {
        target = server;
    }

    /** Numbered events with sequence numbers from {@code firstSeq} on count in the window. */
    void startWindow(long firstSeq) {
        windowStart = firstSeq;
    }

    /** Closes {@code count} connected clients, the next ones in turn, and reconnects each at once where it left. */
    void cycle(int count) {
        for (int i = 0; i < loops.size(); i++) {
            Loop loop = loops.get(i);
            int share = count / loops.size() + (i < count % loops.size() ? 1 : 0);
            loop.io.run(() -> loop.cycle(share));
        }
    }

    int held() {
        return held.get();
    }

    int waiting() {
        return waiting.get();
    }

    Counts counts() {
        return new Counts(connects.sum(), cycled.sum(), serverEnds.sum(), cleanEnds.sum(), lateRetries.sum(),
                failed.sum(), deliveries.sum(), replayed.sum());
    }

    /** The window's events from its start through {@code lastSeq}, counted for every client. */
    Tally tally(long lastSeq) {
        long missing = 0;
        long missingUnplaced = 0;
        long duplicates = 0;
        long notConnected = 0;
        for (Loop loop : loops) {
            Tally t = loop.io.ask(() -> loop.tally(lastSeq));
            missing += t.missing();
            missingUnplaced += t.missingUnplaced();
            duplicates += t.duplicates();
            notConnected += t.notConnected();
        }
        return new Tally(missing, missingUnplaced, duplicates, notConnected);
    }

    /** Every reconnect answered after the server ended a stream, in no particular order. */
    List<Return> returns() {
        List<Return> all = new ArrayList<>();
        for (Loop loop : loops) {
            all.addAll(loop.io.ask(() -> List.copyOf(loop.returns)));
        }
        return all;
    }

    @Override
    public void close() {
        loops.forEach(loop -> loop.io.close());
    }

    /** One client across its connections; the current one is {@code channel}. */
    private final class Client implements StreamReader.Events {
        final BitSet seen = new BitSet();
        long duplicates;
        String lastEventId;
        long retryMillis = DEFAULT_RETRY_MILLIS;
        // The current connection, or null between connections.
        SocketChannel channel;
        SelectionKey key;
        StreamReader reader;
        long connectMicros;
        InetSocketAddress server;
        long answeredMicros; // 0 until the current connection's head was read
        boolean answered; // with 200
        boolean resumed; // the current connection asked with Last-Event-ID
        long endedMicros; // when the server last ended a stream of this client; 0 once it came back
        long endedRetryMillis;
        int connections;
        boolean returnedWithoutId; // some connection after the first asked without Last-Event-ID

        @Override
        public void onEvent(long seq, long publishMicros) {
            long start = windowStart;
            if (seq < start) {
                return;
            }
            int bit = (int) (seq - start);
            if (seen.get(bit)) {
                duplicates++;
            } else {
                seen.set(bit);
            }
            deliveries.increment();
            // Published before this connection was answered: it came as a replay, not from the live fan-out.
            if (resumed && publishMicros < answeredMicros) {
                replayed.increment();
            }
        }

        @Override
        public void onOtherEvent() {
            // ssehub's "missed" notice on a node that does not know the id: not a numbered event
        }
    }

    /** A selector thread and its clients. */
    private final class Loop implements SelectorLoop.Owner {
        final SelectorLoop io;
        final List<Client> clients = new ArrayList<>();
        final List<Client> due = new ArrayList<>(); // between connections, waiting out their retry
        final List<Long> dueMicros = new ArrayList<>();
        final List<Return> returns = new ArrayList<>();
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        int nextToCycle;
        long ticks;

        Loop(int index) throws IOException {
            this.io = new SelectorLoop("resuming-clients-" + index, 10, this);
        }

        void connect(Client client, String sourceAddress) {
            InetSocketAddress server = target;
            SocketChannel channel = null;
            boolean connected;
            try {
                channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.bind(new InetSocketAddress(sourceAddress, 0));
                channel.configureBlocking(false);
                connected = channel.connect(server);
                client.key = io.register(channel, SelectionKey.OP_CONNECT, client);
            } catch (IOException e) {
                SelectorLoop.closeQuietly(channel);
                failed.increment();
                retryLater(client);
                return;
            }
            client.channel = channel;
            client.server = server;
            client.reader = new StreamReader();
            client.connectMicros = BenchClock.nowMicros();
            client.answeredMicros = 0;
            client.answered = false;
            client.resumed = client.lastEventId != null;
            client.returnedWithoutId |= client.connections++ > 0 && !client.resumed;
            waiting.incrementAndGet();
            connects.increment();
            if (connected) {
                connectable(client.key);
            }
        }

        // Reconnects spread over addresses of their own: their closed ports wait in TIME_WAIT for a minute.
        void reconnect(Client client) {
            connect(client, "127.0.3." + (1 + Math.floorMod(reconnectAddress.getAndIncrement(), 250)));
        }

        void cycle(int count) {
            int closed = 0;
            for (int tried = 0; tried < clients.size() && closed < count; tried++) {
                Client client = clients.get(nextToCycle++ % clients.size());
                if (client.answered) {
                    drop(client);
                    cycled.increment();
                    closed++;
                    reconnect(client);
                }
            }
        }

        @Override
        public void connectable(SelectionKey key) {
            Client client = (Client) key.attachment();
            try {
                if (!client.channel.finishConnect()) {
                    return;
                }
                client.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                client.channel.write(ByteBuffer.wrap(request(client))); // a few hundred bytes, empty buffer
                key.interestOps(SelectionKey.OP_READ);
            } catch (IOException e) {
                failed(client);
            }
        }

        @Override
        public void readable(SelectionKey key) {
            Client client = (Client) key.attachment();
            try {
                buffer.clear();
                int n = client.channel.read(buffer);
                if (n < 0) {
                    serverEnded(client, false);
                    return;
                }
                long now = BenchClock.nowMicros();
                boolean hadHead = client.reader.headRead();
                if (!hadHead) {
                    client.answeredMicros = now; // events read with the head count as replayed when older
                }
                if (!client.reader.feed(buffer.array(), 0, n, client)) {
                    failed(client);
                    return;
                }
                if (!hadHead && client.reader.headRead()) {
                    waiting.decrementAndGet();
                    if (client.reader.status() != 200) {
                        failed(client);
                        return;
                    }
                    answered(client, now);
                }
                keepReaderState(client);
                if (client.reader.ended()) {
                    serverEnded(client, true);
                }
            } catch (IOException e) {
                failed(client);
            }
        }

        @Override
        public void tick() {
            long now = BenchClock.nowMicros();
            if (++ticks % 50 == 0) {
                timeOut(now);
            }
            for (int i = due.size() - 1; i >= 0; i--) {
                if (dueMicros.get(i) <= now) {
                    Client client = due.remove(i);
                    dueMicros.remove(i);
                    reconnect(client);
                }
            }
        }

        // Twice a second, not every tick: a look at every client.
        private void timeOut(long now) {
            for (Client client : clients) {
                if (client.channel != null && !client.reader.headRead()
                        && now - client.connectMicros > answerTimeoutMicros) {
                    failed(client);
                }
            }
        }

        private void answered(Client client, long now) {
            client.answered = true;
            held.incrementAndGet();
            if (client.endedMicros != 0) {
                returns.add(new Return(client.endedMicros, client.endedRetryMillis, client.connectMicros, now));
                client.endedMicros = 0;
            }
        }

        private void keepReaderState(Client client) {
            String id = client.reader.lastEventId();
            if (id != null) {
                client.lastEventId = id;
            }
            if (client.reader.retryMillis() >= 0) {
                client.retryMillis = client.reader.retryMillis();
            }
        }

        // The server ended the stream: with its last chunk (a farewell) or by closing the connection.
        private void serverEnded(Client client, boolean clean) {
            keepReaderState(client);
            if (!client.reader.headRead()) {
                failed(client);
                return;
            }
            serverEnds.increment();
            if (clean) {
                cleanEnds.increment();
            }
            if (client.reader.retryLines() > 1) {
                lateRetries.increment();
            }
            drop(client);
            client.endedMicros = BenchClock.nowMicros();
            client.endedRetryMillis = client.retryMillis;
            retryLater(client);
        }

        // Refused, reset, unanswered or not 200: tried again after the retry hint, like an EventSource.
        private void failed(Client client) {
            if (client.channel != null && !client.reader.headRead()) {
                waiting.decrementAndGet();
            }
            failed.increment(); // counted, then tried again
            drop(client);
            retryLater(client);
        }

        private void retryLater(Client client) {
            due.add(client);
            dueMicros.add(BenchClock.nowMicros() + client.retryMillis * 1000);
        }

        private void drop(Client client) {
            if (client.channel == null) {
                return;
            }
            if (client.answered) {
                held.decrementAndGet();
                client.answered = false;
            }
            if (client.key != null) {
                client.key.cancel();
            }
            SelectorLoop.closeQuietly(client.channel);
            client.channel = null;
            client.key = null;
        }

        private byte[] request(Client client) {
            InetSocketAddress server = client.server;
            return ("GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                    + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + (client.lastEventId == null ? "" : "Last-Event-ID: " + client.lastEventId + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }

        Tally tally(long lastSeq) {
            long start = windowStart;
            int events = (int) Math.max(0, lastSeq - start + 1);
            long missing = 0;
            long missingUnplaced = 0;
            long duplicates = 0;
            long notConnected = 0;
            for (Client client : clients) {
                duplicates += client.duplicates;
                if (client.answered) {
                    long lacked = events - client.seen.get(0, events).cardinality();
                    missing += lacked;
                    missingUnplaced += client.returnedWithoutId ? lacked : 0;
                } else {
                    notConnected++;
                }
            }
            return new Tally(missing, missingUnplaced, duplicates, notConnected);
        }
    }
}
