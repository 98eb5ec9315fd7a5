package dev.ssehub.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Posts events to {@code POST /publish} over a few keep-alive connections, one thread each. The data of event
 * number {@code seq} (counting from 1 across the run) is {@code "<seq> <publishMicros>"} plus optional padding, where
 * {@code publishMicros} is {@link BenchClock} time taken just before the request is written.
 *
 * <p>{@link #runAtRate} paces events at a fixed rate from one scheduling thread that hands them to the posting
 * threads, so a slow answer delays no later event unless every connection is busy; how late events were sent
 * against their schedule is reported as the publisher's lag. {@link #runFlatOut} posts as fast as the server
 * answers, for publishing throughput.
 */
final class Publisher {

    private final InetSocketAddress server;
    private final String token;
    private final String topic;
    private final String padding;
    private final boolean numbered;
    private volatile boolean stopped;
    // One sequence for every publisher of the run, so a window's events are never confused with earlier ones.
    private static final AtomicLong LAST_SEQ = new AtomicLong();
    private final LongAdder failures = new LongAdder();
    private final Recorder roundTrips = new Recorder(3);
    private volatile long maxLagMicros;

    Publisher(InetSocketAddress server, String token, String topic, int paddingBytes) {
        this(server, token, topic, paddingBytes, true);
    }

    private Publisher(InetSocketAddress server, String token, String topic, int paddingBytes, boolean numbered) {
        this.server = server;
        this.token = token;
        this.topic = topic;
        this.padding = paddingBytes > 0 ? "+" + "x".repeat(paddingBytes) : ""; // "+": a space, form-encoded
        this.numbered = numbered;
    }

    /** A publisher of bulk events without sequence numbers: they load readers but are not measured. */
    static Publisher filler(InetSocketAddress server, String token, String topic, int bytes) {
        return new Publisher(server, token, topic, bytes, false);
    }

    String topic() {
        return topic;
    }

    /** Makes {@link #runAtRate} stop scheduling events. */
    void stop() {
        stopped = true;
    }

    /** The sequence number of the last event sent by any publisher (0 before the first). */
    static long lastSeq() {
        return LAST_SEQ.get();
    }

    long failures() {
        return failures.sum();
    }

    long maxLagMicros() {
        return maxLagMicros;
    }

    /** Round trips of the POSTs since the last call, in microseconds. */
    Histogram roundTrips() {
        return roundTrips.getIntervalHistogram();
    }

    /**
     * Sends {@code rate} events a second for {@code seconds}, over {@code connections} connections. Posts still
     * unanswered 10 s after the last one was due are abandoned (their connections closed), so a server that blocks
     * publishers cannot hold the benchmark up; what was due and not yet sent by then is dropped.
     */
    void runAtRate(double rate, double seconds, int connections) throws InterruptedException {
        BlockingQueue<Long> due = new LinkedBlockingQueue<>();
        List<Thread> posters = new ArrayList<>();
        List<HttpConnection> open = new ArrayList<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        for (int i = 0; i < connections; i++) {
            HttpConnection connection = new HttpConnection(server);
            open.add(connection);
            Thread poster = new Thread(() -> post(connection, due, abandoned), "publisher-" + i);
            poster.setDaemon(true);
            poster.start();
            posters.add(poster);
        }
        long periodNanos = (long) (1e9 / rate);
        long count = Math.max(1, Math.round(rate * seconds));
        long start = System.nanoTime();
        try {
            for (long i = 0; i < count && !stopped; i++) {
                long at = start + i * periodNanos;
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                due.add(BenchClock.nowMicros() - Math.max(0, (System.nanoTime() - at) / 1000));
            }
        } finally {
            for (int i = 0; i < connections; i++) {
                due.add(-1L);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (Thread poster : posters) {
                poster.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            if (posters.stream().anyMatch(Thread::isAlive)) {
                abandoned.set(true);
                open.forEach(HttpConnection::abort);
                for (Thread poster : posters) {
                    poster.join(10_000);
                }
            }
        }
    }

    /** Posts as fast as answers come for {@code seconds} on {@code connections} threads; returns events sent. */
    long runFlatOut(double seconds, int connections) throws InterruptedException {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        LongAdder sent = new LongAdder();
        List<Thread> posters = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread poster = new Thread(() -> {
                try (HttpConnection connection = new HttpConnection(server)) {
                    while (System.nanoTime() < until) {
                        if (postOne(connection)) {
                            sent.increment();
                        }
                    }
                }
            }, "publisher-" + i);
            poster.setDaemon(true);
            poster.start();
            posters.add(poster);
        }
        for (Thread poster : posters) {
            poster.join();
        }
        return sent.sum();
    }

    private void post(HttpConnection connection, BlockingQueue<Long> due, AtomicBoolean abandoned) {
        try (connection) {
            while (true) {
                long scheduledMicros = due.take();
                if (scheduledMicros < 0) {
                    return;
                }
                if (stopped || abandoned.get()) {
                    continue; // what was still due when stopped is dropped
                }
                long lag = BenchClock.nowMicros() - scheduledMicros;
                if (lag > maxLagMicros) {
                    maxLagMicros = lag;
                }
                postOne(connection);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean postOne(HttpConnection connection) {
        long sentMicros = BenchClock.nowMicros();
        String data = numbered ? LAST_SEQ.incrementAndGet() + "+" + sentMicros + padding : "filler" + padding;
        String body = "topic=" + topic + "&data=" + data;
        try {
            int status = connection.postForm("/publish", token, body);
            roundTrips.recordValue(BenchClock.nowMicros() - sentMicros);
            if (status != 200) {
                failures.increment();
                return false;
            }
            return true;
        } catch (IOException e) {
            failures.increment();
            return false;
        }
    }
}
