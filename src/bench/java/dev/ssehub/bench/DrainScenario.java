package dev.ssehub.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node's stop and the reconnects it causes, once for each {@code drain.times} value of {@code ssehub.drainTime}.
 * A second node starts first; {@code drain.streams} clients hold streams on the node, which is then stopped with
 * SIGTERM, as a service manager stops it. Its webapp ends every stream with a farewell {@code retry:} of
 * {@code retry} (3 s) plus a random part of {@code drainTime}; each client, like an EventSource, waits that long and
 * then connects to the second node with its {@code Last-Event-ID}. Reported: the retry values received, the
 * reconnects a second at the peak (over any one-second span) and the delay from the end of each stream to the
 * second node's answer.
 */
final class DrainScenario {

    static final String SCENARIO = "drain";

    private static final int STOP_SECONDS = 30;
    private static final int RETURN_SLACK_SECONDS = 15;

    private final Bench bench;
    private final BenchConfig config;

    DrainScenario(Bench bench, BenchConfig config) {
        this.bench = bench;
        this.config = config;
    }

    static boolean measures(SystemKind kind) {
        return kind == SystemKind.SSEHUB_JETTY || kind == SystemKind.SSEHUB_TOMCAT;
    }

    void run(SystemKind kind) throws Exception {
        for (long drainMillis : config.drainTimes()) {
            bench.record(once(kind, drainMillis));
        }
    }

    private Result once(SystemKind kind, long drainMillis) throws Exception {
        String name = kind.id() + "-drain-" + drainMillis;
        try (ServerProcess next = bench.start(kind, SCENARIO, name + "-next", List.of());
             ServerProcess node = bench.start(kind, SCENARIO, name, List.of("-Dssehub.drainTime=" + drainMillis));
             ResumingClients clients = new ResumingClients(Bench.address(node), "/stream?topic=" + BenchConfig.TOPIC,
                     config.selectorThreads(), bench.freshAddresses(), config.answerTimeoutMillis())) {
            clients.open(config.drainStreams(), config.connectWindow());
            int held = clients.held();
            bench.publisher(node, 0).runAtRate(2, 1, 1); // every client knows an event id to resume from
            TimeUnit.MILLISECONDS.sleep(500);
            clients.retarget(Bench.address(next));
            long stopMicros = BenchClock.nowMicros();
            boolean exited = node.terminate(STOP_SECONDS);
            double stopSeconds = (BenchClock.nowMicros() - stopMicros) / 1e6;
            System.out.printf(Locale.ROOT, "   drainTime %d ms: %,d streams held; SIGTERM, %s after %.1f s%n",
                    drainMillis, held, exited ? "exited" : "still running", stopSeconds);
            List<ResumingClients.Return> returns = awaitReturns(clients, held, drainMillis);
            ResumingClients.Counts counts = clients.counts();
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("drainTime ms", (double) drainMillis);
            figures.put("seconds to exit", stopSeconds);
            figures.put("farewell retries", (double) counts.lateRetries());
            figures.put("ended cleanly", (double) counts.cleanEnds());
            figures.put("dropped", (double) (counts.serverEnds() - counts.cleanEnds()));
            figures.put("returned", (double) returns.size());
            figures.put("failed connects", (double) counts.failed());
            long[] retries = returns.stream().mapToLong(ResumingClients.Return::retryMillis).sorted().toArray();
            figures.put("retry min ms", percentile(retries, 0));
            figures.put("retry p50 ms", percentile(retries, 50));
            figures.put("retry max ms", percentile(retries, 100));
            long[] delays = returns.stream().mapToLong(r -> (r.answeredMicros() - r.endedMicros()) / 1000).sorted()
                    .toArray();
            figures.put("delay p50 ms", percentile(delays, 50));
            figures.put("delay p99 ms", percentile(delays, 99));
            figures.put("delay max ms", percentile(delays, 100));
            figures.put("peak reconnects/s", (double) peakPerSecond(returns.stream()
                    .mapToLong(ResumingClients.Return::connectMicros).sorted().toArray()));
            figures.put("peak answered/s", (double) peakPerSecond(returns.stream()
                    .mapToLong(ResumingClients.Return::answeredMicros).sorted().toArray()));
            System.out.printf(Locale.ROOT, "   %,d farewell retries, %,d ended cleanly, %,d dropped, %,d back on the "
                            + "next node; peak %s reconnects/s, delay p50/p99 %s/%s ms%n", counts.lateRetries(),
                    counts.cleanEnds(),
                    counts.serverEnds() - counts.cleanEnds(), returns.size(),
                    Report.num(figures.get("peak reconnects/s")), Report.num(figures.get("delay p50 ms")),
                    Report.num(figures.get("delay p99 ms")));
            return new Result(SCENARIO, kind, "drainTime " + drainMillis + " ms", config.drainStreams(), held,
                    new LoadClient.Failures(0, 0, 0, 0, 0, counts.failed()), 0, 0, 0, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, figures);
        }
    }

    // Until every client that held a stream is back, or the longest retry and some slack have passed.
    private static List<ResumingClients.Return> awaitReturns(ResumingClients clients, int held, long drainMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis + 3000)
                + TimeUnit.SECONDS.toNanos(STOP_SECONDS + RETURN_SLACK_SECONDS);
        List<ResumingClients.Return> returns = clients.returns();
        while (returns.size() < held && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            returns = clients.returns();
        }
        return returns;
    }

    /** The most values (microseconds, sorted) within any one second. */
    static int peakPerSecond(long[] sortedMicros) {
        int peak = 0;
        for (int from = 0, to = 0; to < sortedMicros.length; to++) {
            while (sortedMicros[to] - sortedMicros[from] >= 1_000_000) {
                from++;
            }
            peak = Math.max(peak, to - from + 1);
        }
        return peak;
    }

    private static double percentile(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
