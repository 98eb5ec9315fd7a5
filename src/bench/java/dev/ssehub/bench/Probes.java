package dev.ssehub.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Plain requests at a steady pace, each on a fresh connection, timed from connect to answer: {@code GET /} to the
 * end of the page, a new {@code GET /stream} to its first bytes, {@code POST /publish} (to a topic nobody reads) to
 * the end of its answer. Open loop: a scheduler starts one request of each kind every interval whether or not the
 * earlier ones were answered, so a stalled server is seen by every request that arrives meanwhile. A request counts
 * in the window it started in; one not answered within the timeout counts at the timeout, as timed out.
 */
final class Probes implements AutoCloseable {

    private final List<Probe> probes;
    private final int timeoutMillis;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            daemon("probe-scheduler"));
    private final ExecutorService requests = Executors.newCachedThreadPool(daemon("probe-request"));

    Probes(InetSocketAddress server, String token, long intervalMillis, int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        String host = "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n";
        String publish = "topic=probe&data=probe";
        probes = List.of(
                new Probe("GET /", server, "GET / HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", false),
                new Probe("GET /stream", server, "GET /stream?topic=probe HTTP/1.1\r\n" + host
                        + "Accept: text/event-stream\r\n\r\n", true),
                new Probe("POST /publish", server, "POST /publish HTTP/1.1\r\n" + host + "Authorization: Bearer "
                        + token + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                        + publish.length() + "\r\nConnection: close\r\n\r\n" + publish, false));
        scheduler.scheduleAtFixedRate(() -> probes.forEach(probe -> requests.execute(probe::once)), 0,
                intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** The kinds of request, as their figures are named. */
    static List<String> kinds() {
        return List.of("GET /", "GET /stream", "POST /publish");
    }

    /** Starts a window: requests started from now on count in it. */
    void startWindow() {
        probes.forEach(probe -> probe.tally = new Tally());
    }

    /**
     * Ends the window once its requests are answered or timed out; its figures by {@code "<kind> <figure>"}, e.g.
     * {@code "GET / p99 ms"}.
     */
    Map<String, Double> endWindow() throws InterruptedException {
        Map<Probe, Tally> ended = new LinkedHashMap<>();
        for (Probe probe : probes) {
            ended.put(probe, probe.tally);
            probe.tally = new Tally(); // between windows: counted nowhere
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        for (Map.Entry<Probe, Tally> entry : ended.entrySet()) {
            String name = entry.getKey().name;
            Tally tally = entry.getValue();
            tally.awaitAnswers(timeoutMillis + 1_000L);
            synchronized (tally) {
                figures.put(name + " p50 ms", Result.ms(tally.latency, 50));
                figures.put(name + " p99 ms", Result.ms(tally.latency, 99));
                figures.put(name + " max ms", Result.ms(tally.latency, 100));
                figures.put(name + " requests", (double) tally.started);
                figures.put(name + " timed out", (double) tally.timedOut);
                figures.put(name + " failed", (double) tally.failed);
            }
        }
        return figures;
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        requests.shutdownNow(); // requests in flight end at their timeout
        requests.awaitTermination(timeoutMillis + 1_000L, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One window's requests of one kind; written by the request threads. */
    private static final class Tally {
        final Histogram latency = new Histogram(3);
        long started;
        long answered;
        long timedOut;
        long failed; // refused, reset, closed early, or an answer other than 2xx

        synchronized void start() {
            started++;
        }

        synchronized void answer(long micros, boolean ok) {
            latency.recordValue(micros);
            failed += ok ? 0 : 1;
            end();
        }

        synchronized void timeOut(long micros) {
            latency.recordValue(micros);
            timedOut++;
            end();
        }

        synchronized void fail() {
            failed++;
            end();
        }

        synchronized void awaitAnswers(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (answered < started && System.nanoTime() < deadline) {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        }

        private void end() {
            answered++;
            notifyAll();
        }
    }

    /** One kind of request. */
    private final class Probe {
        final String name;
        final InetSocketAddress server;
        final byte[] request;
        final boolean firstBytesOnly;
        volatile Tally tally = new Tally();

        Probe(String name, InetSocketAddress server, String request, boolean firstBytesOnly) {
            this.name = name;
            this.server = server;
            this.request = request.getBytes(StandardCharsets.US_ASCII);
            this.firstBytesOnly = firstBytesOnly;
        }

        void once() {
            Tally counted = tally;
            counted.start();
            long started = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(server, timeoutMillis);
                socket.setSoTimeout(Math.max(1, timeoutMillis - (int) elapsedMillis(started)));
                socket.getOutputStream().write(request);
                boolean ok = answeredOk(socket.getInputStream());
                counted.answer((System.nanoTime() - started) / 1000, ok);
            } catch (SocketTimeoutException e) {
                counted.timeOut(TimeUnit.MILLISECONDS.toMicros(timeoutMillis));
            } catch (IOException | RuntimeException e) {
                counted.fail();
            }
        }

        // Reads the status line, then to the end of the answer (Connection: close) unless the first bytes do.
        private boolean answeredOk(InputStream in) throws IOException {
            byte[] statusLine = in.readNBytes(12);
            if (statusLine.length < 12) {
                return false;
            }
            if (!firstBytesOnly) {
                byte[] rest = new byte[8192];
                while (in.read(rest) >= 0) {
                    // to the end of the answer
                }
            }
            return statusLine[9] == '2';
        }

        private long elapsedMillis(long startedNanos) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        }
    }
}
