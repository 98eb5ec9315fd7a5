package dev.ssehub.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The soak: {@code soak.streams} streams for {@code soak.minutes}, {@code soak.rate} events a second to all of them,
 * and every second {@code soak.reconnectPercent} of them closed and reopened with {@code Last-Event-ID}. Every
 * {@code soak.sampleSeconds} the server's heap after a full GC, its open files and threads, and a scrape of its
 * {@code /metrics} beside what the client counted. Afterwards: each stream's missing and duplicated events across
 * its reconnects, the heap's slope, the metrics against the client's counts, and the server's open files and
 * threads once every stream has closed.
 */
final class SoakScenario {

    static final String SCENARIO = "soak";
    static final String METRICS_TOKEN = "bench-metrics-token";

    private static final int PUBLISH_CONNECTIONS = 4;
    // Cycling stops this long before publishing does: the server notices the last closed streams at its next
    // writes, so at the end its count of streams is exact.
    private static final int QUIET_SECONDS = 5;
    private static final int SETTLE_SECONDS = 30;

    /** One look at the server: minutes since the window began, heap after a full GC, and what the counts said. */
    record Sample(double minutes, long heapBytes, long directBytes, int openFiles, int threads, int held,
                  int waiting, double metricStreams, double metricDeliveries, long clientDeliveries) {
    }

    private final Bench bench;
    private final BenchConfig config;

    SoakScenario(Bench bench, BenchConfig config) {
        this.bench = bench;
        this.config = config;
    }

    static boolean measures(SystemKind kind) {
        return kind == SystemKind.SSEHUB_JETTY || kind == SystemKind.SSEHUB_TOMCAT;
    }

    void run(SystemKind kind) throws Exception {
        try (ServerProcess server = bench.start(kind, SCENARIO, kind.id() + "-soak",
                List.of("-Dssehub.metricsToken=" + METRICS_TOKEN))) {
            bench.warmUp(kind, server);
            InetSocketAddress address = Bench.address(server);
            ServerProcess.Memory idle = server.memory();
            int filesBefore = server.openFiles();
            int threadsBefore = ProcStat.threads(server.pid());
            Publisher publisher = bench.publisher(server, 0);
            List<Sample> samples = new ArrayList<>();
            Map<String, Double> figures = new LinkedHashMap<>();
            Result result;
            try (ResumingClients clients = new ResumingClients(address, "/stream?topic=" + BenchConfig.TOPIC,
                    config.selectorThreads(), bench.freshAddresses(), config.answerTimeoutMillis())) {
                long opening = System.nanoTime();
                clients.open(config.soakStreams(), config.connectWindow());
                System.out.printf(Locale.ROOT, "   %,d streams asked, %,d held in %.1f s%n", config.soakStreams(),
                        clients.held(), (System.nanoTime() - opening) / 1e9);
                result = soak(kind, server, clients, publisher, idle, samples, figures);
            }
            // Every stream closed: the server lets go of each at its next write, an event or a heartbeat.
            AfterClose after = awaitClosed(server, publisher, filesBefore);
            figures.put("open files before", (double) filesBefore);
            figures.put("open files after", (double) after.openFiles());
            figures.put("seconds to close", after.seconds());
            figures.put("heap idle MiB", idle.heapBytes() / 1048576.0);
            figures.put("heap after close MiB", server.memory().heapBytes() / 1048576.0);
            figures.put("threads before", (double) threadsBefore);
            figures.put("threads after", (double) ProcStat.threads(server.pid()));
            figures.put("metric streams after", MetricsScrape.of(address, METRICS_TOKEN).value("ssehub_streams"));
            bench.record(result.withFigures(figures));
            String name = SCENARIO + "-" + kind.id();
            bench.attach(name + ".svg", new SoakPlot(kind, config, samples).render());
            bench.attach(name + ".csv", csv(samples));
        }
    }

    private Result soak(SystemKind kind, ServerProcess server, ResumingClients clients, Publisher publisher,
                        ServerProcess.Memory idle, List<Sample> samples, Map<String, Double> figures)
            throws Exception {
        InetSocketAddress address = Bench.address(server);
        MetricsScrape before = MetricsScrape.of(address, METRICS_TOKEN);
        long first = Publisher.lastSeq() + 1;
        clients.startWindow(first);
        long publishFailuresBefore = publisher.failures();
        double seconds = config.soakMinutes() * 60;
        long startNanos = System.nanoTime();
        double cpuBefore = server.cpuSeconds();
        AtomicReference<Exception> publishing = new AtomicReference<>();
        Thread publishThread = new Thread(() -> {
            try {
                publisher.runAtRate(config.soakRate(), seconds, PUBLISH_CONNECTIONS);
            } catch (InterruptedException e) {
                publishing.set(e);
            }
        }, "soak-publisher");
        publishThread.start();
        ScheduledExecutorService cycler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "soak-reconnects");
            thread.setDaemon(true);
            return thread;
        });
        int perSecond = config.soakReconnectsPerSecond();
        cycler.scheduleAtFixedRate(() -> clients.cycle(perSecond), 1, 1, TimeUnit.SECONDS);
        cycler.schedule(cycler::shutdown, (long) Math.max(1, seconds - QUIET_SECONDS), TimeUnit.SECONDS);
        try {
            long sampleNanos = (long) (config.soakSampleSeconds() * 1e9);
            for (long next = 0; publishThread.isAlive(); next += sampleNanos) {
                long wait = startNanos + next - System.nanoTime();
                if (wait > 0) {
                    publishThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                }
                if (publishThread.isAlive()) {
                    samples.add(sample(server, clients, before, startNanos));
                }
            }
        } finally {
            cycler.shutdownNow();
            publishThread.join();
        }
        if (publishing.get() != null) {
            throw publishing.get();
        }
        long last = Publisher.lastSeq();
        awaitQuiet(clients);
        samples.add(sample(server, clients, before, startNanos));
        double windowSeconds = (System.nanoTime() - startNanos) / 1e9;
        double serverCpu = (server.cpuSeconds() - cpuBefore) / windowSeconds * 100;
        MetricsScrape after = MetricsScrape.of(address, METRICS_TOKEN);
        ResumingClients.Tally tally = clients.tally(last);
        ResumingClients.Counts counts = clients.counts();
        long publishFailures = publisher.failures() - publishFailuresBefore;
        long accepted = last - first + 1 - publishFailures;

        figures.put("minutes", windowSeconds / 60);
        figures.put("reconnects", (double) counts.cycled());
        figures.put("reconnects/s", counts.cycled() / windowSeconds);
        figures.put("duplicates", (double) tally.duplicates());
        figures.put("missing unplaced", (double) tally.missingUnplaced());
        figures.put("not connected", (double) tally.notConnected());
        figures.put("server ends", (double) counts.serverEnds());
        figures.put("failed connects", (double) counts.failed());
        figures.put("heap slope bytes/min", slope(samples));
        figures.put("heap first MiB", samples.get(0).heapBytes() / 1048576.0);
        figures.put("heap last MiB", samples.get(samples.size() - 1).heapBytes() / 1048576.0);
        figures.put("heap max MiB", samples.stream().mapToLong(Sample::heapBytes).max().orElse(0) / 1048576.0);
        figures.put("open files max", (double) samples.stream().mapToInt(Sample::openFiles).max().orElse(0));
        figures.put("threads max", (double) samples.stream().mapToInt(Sample::threads).max().orElse(0));
        // Published: every POST was answered before this scrape, so the counter must equal the events accepted.
        figures.put("events accepted", (double) accepted);
        figures.put("metric published", delta(after, before, "ssehub_events_published_total"));
        // Streams: once cycling has stopped and the server wrote to every closed stream, the gauge is exact.
        figures.put("held at end", (double) clients.held());
        figures.put("metric streams at end", after.value("ssehub_streams"));
        streamsDuringSoak(samples, figures);
        // Deliveries: the server counts an event for a subscriber when it queues it, so it also counts the events
        // queued for streams the client had closed and not those a resumed stream gets as its replay.
        double live = counts.deliveries() - counts.replayed();
        double metricDeliveries = delta(after, before, "ssehub_deliveries_total");
        figures.put("client deliveries", (double) counts.deliveries());
        figures.put("client replayed", (double) counts.replayed());
        figures.put("metric deliveries", metricDeliveries);
        figures.put("deliveries excess", metricDeliveries - live);
        figures.put("deliveries excess per reconnect", counts.cycled() == 0 ? Double.NaN
                : (metricDeliveries - live) / counts.cycled());
        ServerProcess.Memory memory = server.memory();
        int held = clients.held();
        System.out.printf(Locale.ROOT, "   soak: %,d held, missing %,d (%,.0f after a return without id), "
                        + "duplicates %,d, heap slope %s bytes/min, published %s (metric) / %,d (accepted)%n", held,
                tally.missing(), figures.get("missing unplaced"), tally.duplicates(),
                Report.num(figures.get("heap slope bytes/min")), Report.num(figures.get("metric published")), accepted);
        return new Result(SCENARIO, kind, config.soakStreams() + " streams, " + perSecond + " reconnects/s",
                config.soakStreams(), held, new LoadClient.Failures(0, 0, 0, 0, 0, counts.failed()),
                last - first + 1, counts.deliveries(), tally.missing(), counts.deliveries() / windowSeconds,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Bench.perStream(memory.heapBytes(), idle.heapBytes(), held),
                Bench.perStream(memory.directBytes(), idle.directBytes(), held),
                Bench.perStream(memory.rssBytes(), idle.rssBytes(), held), memory.threads(), serverCpu, Double.NaN,
                Double.NaN, Double.NaN, publisher.maxLagMicros() / 1000.0, publishFailures, Map.of());
    }

    // While streams cycle, the gauge may count more than the client holds: streams the client closed that the
    // server has not written to since (it notices at the second write after the close, within 1 + 2/rate seconds)
    // and connections whose response head the client has not read yet. Fewer is never right.
    private void streamsDuringSoak(List<Sample> samples, Map<String, Double> figures) {
        double allowance = config.soakReconnectsPerSecond() * (1 + 2 / config.soakRate());
        int outside = 0;
        double maxExcess = 0;
        for (Sample s : samples) {
            double excess = s.metricStreams() - s.held();
            maxExcess = Math.max(maxExcess, excess);
            if (excess < 0 || excess > allowance + s.waiting()) {
                outside++;
            }
        }
        figures.put("streams allowance", allowance);
        figures.put("metric streams max excess", maxExcess);
        figures.put("samples outside allowance", (double) outside);
    }

    private Sample sample(ServerProcess server, ResumingClients clients, MetricsScrape before, long startNanos)
            throws Exception {
        double minutes = (System.nanoTime() - startNanos) / 60e9;
        ServerProcess.Memory memory = server.memory();
        int held = clients.held();
        int waiting = clients.waiting();
        long deliveries = clients.counts().deliveries();
        MetricsScrape now = MetricsScrape.of(Bench.address(server), METRICS_TOKEN);
        Sample sample = new Sample(minutes, memory.heapBytes(), memory.directBytes(), server.openFiles(),
                ProcStat.threads(server.pid()), held, waiting, now.value("ssehub_streams"),
                delta(now, before, "ssehub_deliveries_total"), deliveries);
        System.out.printf(Locale.ROOT, "   %5.1f min: heap %.1f MiB, %d open files, %d threads, %,d held "
                        + "(metric %,.0f)%n", minutes, sample.heapBytes() / 1048576.0, sample.openFiles(),
                sample.threads(), held, sample.metricStreams());
        return sample;
    }

    // Waits until the client's deliveries stopped growing for 3 s, at most SETTLE_SECONDS.
    private static void awaitQuiet(ResumingClients clients) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        long last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = clients.counts().deliveries();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > TimeUnit.SECONDS.toNanos(3)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private record AfterClose(int openFiles, double seconds) {
    }

    // Publishes a few events (writes to the closed sockets fail) until the open files are back at the baseline.
    private AfterClose awaitClosed(ServerProcess server, Publisher publisher, int baseline) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        int files = server.openFiles();
        while (files > baseline && System.nanoTime() < deadline) {
            publisher.runAtRate(config.soakRate(), 1, 1);
            files = server.openFiles();
        }
        return new AfterClose(files, (System.nanoTime() - start) / 1e9);
    }

    /** Least squares slope of the heap after GC against time, in bytes a minute. */
    static double slope(List<Sample> samples) {
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double meanX = samples.stream().mapToDouble(Sample::minutes).average().orElse(0);
        double meanY = samples.stream().mapToDouble(Sample::heapBytes).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (Sample s : samples) {
            sxy += (s.minutes() - meanX) * (s.heapBytes() - meanY);
            sxx += (s.minutes() - meanX) * (s.minutes() - meanX);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    private static double delta(MetricsScrape after, MetricsScrape before, String name) {
        return after.value(name) - before.value(name);
    }

    private static String csv(List<Sample> samples) {
        StringBuilder csv = new StringBuilder("minutes,heap_bytes,direct_bytes,open_files,threads,held,waiting,"
                + "metric_streams,metric_deliveries,client_deliveries\n");
        for (Sample s : samples) {
            csv.append(String.format(Locale.ROOT, "%.3f,%d,%d,%d,%d,%d,%d,%.0f,%.0f,%d%n", s.minutes(),
                    s.heapBytes(), s.directBytes(), s.openFiles(), s.threads(), s.held(), s.waiting(),
                    s.metricStreams(), s.metricDeliveries(), s.clientDeliveries()));
        }
        return csv.toString();
    }
}
