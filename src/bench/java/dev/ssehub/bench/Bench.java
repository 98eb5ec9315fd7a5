package dev.ssehub.bench;

import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The benchmark (bench/README.md). Every system runs in its own child process; this process is the load client
 * and the publisher. Scenarios, in order:
 * <ul>
 * <li>{@code ramp}: streams opened in steps (1k, 5k, 10k, 19k) on one server; at each step events are published at
 *     {@code bench.rate} a second and every delivery's publish-to-receive latency is recorded; then the server's
 *     memory after a full GC is read, the streams idle.</li>
 * <li>{@code high-rate}: 10k streams at 8 events a second, for deliveries a second at a p99.</li>
 * <li>{@code stalled}: the same load twice on one set of streams, the second time with 1% of readers no longer
 *     reading; the others' p99 is compared.</li>
 * <li>{@code publish}: POST /publish as fast as a few keep-alive connections get answers, with 1,000 subscribers.</li>
 * <li>{@code storm}: live subscribers' latency, quiet and while 1,000 clients reconnect in a loop asking for a
 *     replay ({@link StormScenario}).</li>
 * <li>{@code slow-body}: plain requests' and live subscribers' latency, quiet and while 250 publishers send their
 *     bodies a byte at a time ({@link SlowBodyScenario}).</li>
 * <li>{@code cluster}: two ssehub nodes sharing one event log in Redis beside a single node with as many streams;
 *     publishing through Redis flat out; Redis's CPU per publish at two numbers of subscribers
 *     ({@link ClusterScenario}).</li>
 * <li>{@code drain}: a node stopped with SIGTERM under thousands of streams, with and without its farewells spread
 *     over {@code ssehub.drainTime}: the reconnects a second that reach the next node ({@link DrainScenario}).</li>
 * <li>{@code soak} (only when asked for): minutes of streams, events and reconnects with {@code Last-Event-ID}; heap
 *     after GC over time, open files, threads, every event exactly once, {@code /metrics} against the client's
 *     counts ({@link SoakScenario}).</li>
 * </ul>
 */
public final class Bench {

    private static final int PUBLISH_CONNECTIONS = 4;

    private final BenchConfig config;
    private final List<Result> results = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> runLog = new ArrayList<>();
    private final List<Report.Attachment> attachments = new ArrayList<>();
    private int addressBase;
    // The JVM the servers run on now, and the ramp's round (0 when not counting rounds).
    private ServerJvm jvm = ServerJvm.DEFAULT;
    private int round;

    private Bench(BenchConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.fromSystemProperties();
        awaitQuietMachine(config.maxLoad());
        Machine machine = Machine.describe();
        System.out.println("ssehub benchmark on " + machine.summary());
        System.out.println("load average before: " + machine.loadBefore());
        Bench bench = new Bench(config);
        long started = System.nanoTime();
        bench.run();
        double minutes = (System.nanoTime() - started) / 60e9;
        Report report = new Report(config, machine.withLoadAfter(Machine.loadAverage()), bench.results,
                bench.problems, bench.runLog, bench.attachments, minutes);
        List<Path> written = report.write();
        System.out.println(report.markdown());
        written.forEach(path -> System.out.println("wrote " + path));
    }

    // Other work on a shared machine skews every figure: wait up to 10 minutes for the 1-minute load to drop.
    private static void awaitQuietMachine(double maxLoad) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (Double.parseDouble(Machine.loadAverage().split(" ")[0]) >= maxLoad) {
            if (System.nanoTime() > deadline) {
                System.out.println("the load average is still " + Machine.loadAverage() + " after 10 minutes; "
                        + "running anyway (the report shows it)");
                return;
            }
            System.out.println("waiting for the 1-minute load average to drop below " + maxLoad + ": "
                    + Machine.loadAverage());
            TimeUnit.SECONDS.sleep(15);
        }
    }

    // Every scenario once on each JVM asked for, in the same order; the ramp `rounds` times over all systems.
    private void run() throws IOException {
        for (String name : config.jvms()) {
            jvm = ServerJvm.of(name);
            runOnJvm();
        }
    }

    private void runOnJvm() {
        if (config.runs("ramp")) {
            for (round = 1; round <= config.rounds(); round++) {
                for (SystemKind kind : config.systems()) {
                    attempt("ramp", kind, () -> ramp(kind));
                }
            }
            round = 0;
        }
        for (SystemKind kind : config.systems()) {
            if (config.runs("high-rate") && kind.publishes() && kind != SystemKind.SSEHUB_TOMCAT_DEFAULT) {
                attempt("high-rate", kind, () -> highRate(kind));
            }
        }
        for (SystemKind kind : config.systems()) {
            if (config.runs("stalled") && kind.publishes() && kind != SystemKind.SSEHUB_TOMCAT_DEFAULT
                    && kind != SystemKind.NIO_FLOOR && !kind.isDistribution()) {
                attempt("stalled", kind, () -> stalled(kind));
            }
        }
        for (SystemKind kind : config.systems()) {
            if (config.runs("publish") && kind.publishes() && kind != SystemKind.SSEHUB_TOMCAT_DEFAULT
                    && !kind.isDistribution()) {
                attempt("publish", kind, () -> publish(kind));
            }
        }
        for (SystemKind kind : config.systems()) {
            if (config.runs("storm") && StormScenario.measures(kind)) {
                attempt("storm", kind, () -> new StormScenario(this, config).run(kind));
            }
        }
        for (SystemKind kind : config.systems()) {
            if (config.runs("slow-body") && SlowBodyScenario.measures(kind)) {
                attempt("slow-body", kind, () -> new SlowBodyScenario(this, config).run(kind));
            }
        }
        if (config.runs("cluster") && config.systems().contains(SystemKind.SSEHUB_JETTY)) {
            attempt("cluster", SystemKind.SSEHUB_JETTY, () -> new ClusterScenario(this, config).run());
        }
        for (SystemKind kind : config.systems()) {
            if (config.runs(DrainScenario.SCENARIO) && DrainScenario.measures(kind)) {
                attempt(DrainScenario.SCENARIO, kind, () -> new DrainScenario(this, config).run(kind));
            }
        }
        for (SystemKind kind : config.systems()) {
            if (config.runs(SoakScenario.SCENARIO) && SoakScenario.measures(kind)) {
                attempt(SoakScenario.SCENARIO, kind, () -> new SoakScenario(this, config).run(kind));
            }
        }
    }

    /** Something measured beside the streams' latency over the same window, e.g. the storm's reconnects. */
    interface Beside {
        Beside NOTHING = new Beside() {
            @Override
            public void start() {
            }

            @Override
            public Map<String, Double> end() {
                return Map.of();
            }
        };

        /** Called as the window starts. */
        void start();

        /** Called as the window ends, before the server's memory is read; the window's figures by name. */
        Map<String, Double> end() throws InterruptedException;
    }

    private static final int WARM_UP_STREAMS = 500;
    private static final double WARM_UP_RATE = 100;

    private interface Step {
        void run() throws Exception;
    }

    private void attempt(String scenario, SystemKind kind, Step step) {
        String started = java.time.LocalTime.now().withNano(0) + ", load " + Machine.loadAverage().split(" ")[0];
        String run = scenario + " / " + kind.id() + context().map(tags -> " (" + tags + ")").orElse("");
        runLog.add(run + ": started " + started);
        System.out.println("== " + run + " (" + started + ")");
        try {
            step.run();
        } catch (Exception e) {
            String problem = scenario + " / " + kind.id() + ": " + e;
            problems.add(problem);
            System.out.println("FAILED " + problem);
            e.printStackTrace(System.out);
        }
    }

    private void ramp(SystemKind kind) throws Exception {
        if (kind == SystemKind.FLASK && !flaskInstalled()) {
            problems.add("flask: skipped, " + config.python() + " cannot import flask (apt-get install -y python3-flask)");
            return;
        }
        try (ServerProcess server = start(kind, "ramp"); LoadClient client = client(server)) {
            warmUp(kind, server);
            ServerProcess.Memory baseline = server.memory();
            Publisher publisher = publisher(server, 0);
            for (int streams : kind == SystemKind.FLASK ? config.flaskStreams() : config.streams()) {
                open(client, streams);
                Result result = kind.publishes()
                        ? broadcast("ramp", kind, "", server, client, publisher, config.rate(), baseline)
                        : ticks(kind, server, client, baseline);
                record(result);
                if (client.failures().unanswered() > 0) {
                    // Saturated: more streams would only wait out the answer timeout, a window's worth at a time.
                    System.out.println("   " + kind.id() + " left streams unanswered: its ramp stops here");
                    break;
                }
            }
        }
    }

    private void highRate(SystemKind kind) throws Exception {
        try (ServerProcess server = start(kind, "high-rate"); LoadClient client = client(server)) {
            warmUp(kind, server);
            ServerProcess.Memory baseline = server.memory();
            Publisher publisher = publisher(server, 0);
            open(client, config.highRateStreams());
            record(broadcast("high-rate", kind, "", server, client, publisher, config.highRateRate(), baseline));
        }
    }

    // Every 100th stream also subscribes to a heavy topic. The first window has everyone reading and the heavy topic
    // quiet; then those 1% stop reading and the heavy topic starts, which fills their buffers within seconds
    // (loopback sockets buffer megabytes), so a server that blocks on them, or queues without bound, shows it. The
    // second window thus carries more work than the first, never less.
    private void stalled(SystemKind kind) throws Exception {
        try (ServerProcess server = start(kind, "stalled"); LoadClient client = client(server)) {
            warmUp(kind, server);
            ServerProcess.Memory baseline = server.memory();
            Publisher publisher = publisher(server, 0);
            Publisher heavy = Publisher.filler(address(server), BenchConfig.TOKEN, BenchConfig.HEAVY_TOPIC,
                    config.stalledHeavyBytes());
            open(client, config.stalledStreams());
            publisher.runAtRate(config.stalledRate(), config.measureSeconds() / 2, PUBLISH_CONNECTIONS);
            record(broadcast("stalled", kind, "none stalled", server, client, publisher, config.stalledRate(),
                    baseline));
            long stalled = client.stallStallable();
            System.out.println("   stalled " + stalled + " readers");
            Thread heavyLoad = new Thread(() -> {
                try {
                    heavy.runAtRate(config.stalledHeavyRate(), 3600, 2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "heavy-publisher");
            heavyLoad.setDaemon(true);
            heavyLoad.start();
            try {
                publisher.runAtRate(config.stalledRate(), config.stalledFillSeconds(), PUBLISH_CONNECTIONS);
                Result result = broadcast("stalled", kind, stalled + " stalled", server, client, publisher,
                        config.stalledRate(), baseline);
                long closedBefore = client.failures().closedByServer();
                client.resumeStalled();
                TimeUnit.SECONDS.sleep(3);
                long dropped = client.failures().closedByServer() - closedBefore;
                record(result.withVariant(stalled + " stalled, " + dropped + " of them closed by the server"));
            } finally {
                heavy.stop();
            }
            heavyLoad.join(60_000);
        }
    }

    private void publish(SystemKind kind) throws Exception {
        try (ServerProcess server = start(kind, "publish"); LoadClient client = client(server)) {
            ServerProcess.Memory baseline = server.memory();
            open(client, config.publishSubscribers());
            Publisher warmup = publisher(server, 0);
            warmup.runFlatOut(2, config.publishThreads());
            client.endWindow();
            Node node = new Node("to the " + client.held() + " subscribers", server, client, baseline);
            flatOut("publish", kind, List.of(node), publisher(server, 0), Beside.NOTHING).forEach(this::record);
            if (kind.isSsehub()) {
                Publisher nobody = new Publisher(address(server), BenchConfig.TOKEN, "nobody", 0);
                Node unread = new Node("to a topic nobody reads", server, client, baseline);
                flatOut("publish", kind, List.of(unread), nobody, Beside.NOTHING).forEach(this::record);
            }
        }
    }

    private Result broadcast(String scenario, SystemKind kind, String variant, ServerProcess server,
                             LoadClient client, Publisher publisher, double rate, ServerProcess.Memory baseline)
            throws Exception {
        publishWarmUp(publisher, rate);
        return measure(scenario, kind, variant, server, client, publisher, rate, baseline, Beside.NOTHING);
    }

    /** Publishes at {@code rate} for the warm-up before a window ({@code bench.warmupSeconds}). */
    void publishWarmUp(Publisher publisher, double rate) throws InterruptedException {
        if (config.warmupSeconds() > 0) {
            publisher.runAtRate(rate, config.warmupSeconds(), PUBLISH_CONNECTIONS);
        }
    }

    /**
     * One measured window: events at {@code rate} for {@code bench.measureSeconds} to the client's streams, their
     * latency; {@code beside} is measured over the same window and its figures join the result.
     */
    Result measure(String scenario, SystemKind kind, String variant, ServerProcess server, LoadClient client,
                   Publisher publisher, double rate, ServerProcess.Memory baseline, Beside beside) throws Exception {
        return measure(scenario, kind, List.of(new Node(variant, server, client, baseline)), publisher, rate, beside)
                .get(0);
    }

    /** One window as above over several servers, one result each, in order; {@code beside} joins the first. */
    List<Result> measure(String scenario, SystemKind kind, List<Node> nodes, Publisher publisher, double rate,
                         Beside beside) throws Exception {
        return window(scenario, kind, nodes, publisher, config.measureSeconds(), beside, () -> {
            publisher.runAtRate(rate, config.measureSeconds(), PUBLISH_CONNECTIONS);
            return -1;
        });
    }

    /**
     * One window of {@code bench.publishThreads} posting as fast as answers come for {@code bench.publishSeconds},
     * one result for each server with the publishes a second accepted; {@code beside} joins the first.
     */
    List<Result> flatOut(String scenario, SystemKind kind, List<Node> nodes, Publisher publisher, Beside beside)
            throws Exception {
        return window(scenario, kind, nodes, publisher, config.publishSeconds(), beside,
                () -> publisher.runFlatOut(config.publishSeconds(), config.publishThreads()));
    }

    /** A server measured in a window: its label in the report, the client reading its streams, its idle memory. */
    record Node(String variant, ServerProcess server, LoadClient client, ServerProcess.Memory baseline) {
    }

    /** How a window publishes: the events the server accepted, or -1 when published at a rate. */
    private interface Load {
        long publish() throws InterruptedException;
    }

    private List<Result> window(String scenario, SystemKind kind, List<Node> nodes, Publisher publisher,
                                double publishSeconds, Beside beside, Load load) throws Exception {
        long first = Publisher.lastSeq() + 1;
        long failedBefore = publisher.failures();
        List<Window> windows = new ArrayList<>();
        for (Node node : nodes) {
            node.client().startWindow(first);
            windows.add(Window.start(node.server()));
        }
        publisher.roundTrips();
        beside.start();
        long accepted = load.publish();
        long last = publisher.topic().equals(BenchConfig.TOPIC) ? Publisher.lastSeq() : first - 1;
        Histogram roundTrips = publisher.roundTrips();
        long publishFailures = publisher.failures() - failedBefore;
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Result result = finish(scenario, kind, nodes.get(i), publisher, roundTrips, windows.get(i), first, last,
                    publishSeconds, publishFailures, i == 0 ? beside : Beside.NOTHING);
            results.add(accepted < 0 ? result : result.withPublishing(accepted / publishSeconds));
        }
        return results;
    }

    private Result finish(String scenario, SystemKind kind, Node node, Publisher publisher, Histogram roundTrips,
                          Window window, long first, long last, double publishSeconds, long publishFailures,
                          Beside beside) throws Exception {
        ServerProcess server = node.server();
        LoadClient client = node.client();
        long reading = client.reading();
        long expected = Math.max(0, last - first + 1) * reading;
        double seconds = awaitDeliveries(client, expected, publishSeconds, window);
        Histogram latency = client.endWindow();
        Map<String, Double> besideFigures = new LinkedHashMap<>(beside.end());
        besideFigures.put(Result.LOAD, Double.parseDouble(Machine.loadAverage().split(" ")[0]));
        double serverCpu = window.serverCpuPercent(server);
        double clientCpu = window.clientCpuPercent();
        long missing = last >= first ? client.missing(first, last) : 0;
        ServerProcess.Memory memory = server.memory();
        ServerProcess.Memory baseline = node.baseline();
        int held = client.held();
        return new Result(scenario, kind, node.variant(), client.asked(), held, client.failures(),
                Math.max(0, last - first + 1), client.windowDeliveries(), missing, client.windowDeliveries() / seconds,
                Result.ms(latency, 50), Result.ms(latency, 90), Result.ms(latency, 99), Result.ms(latency, 100),
                perStream(memory.heapBytes(), baseline.heapBytes(), held),
                perStream(memory.directBytes(), baseline.directBytes(), held),
                perStream(memory.rssBytes(), baseline.rssBytes(), held), memory.threads(), serverCpu, clientCpu,
                Double.NaN, Result.ms(roundTrips, 99), publisher.maxLagMicros() / 1000.0, publishFailures,
                besideFigures);
    }

    // Flask has no publish API: each stream ticks on its own timer. Counts ticks; memory is resident memory.
    private Result ticks(SystemKind kind, ServerProcess server, LoadClient client, ServerProcess.Memory baseline)
            throws Exception {
        long before = client.otherEvents();
        Window window = Window.start(server);
        TimeUnit.MILLISECONDS.sleep((long) (config.measureSeconds() * 1000));
        long ticks = client.otherEvents() - before;
        double serverCpu = window.serverCpuPercent(server);
        double clientCpu = window.clientCpuPercent();
        ServerProcess.Memory memory = server.memory();
        int held = client.held();
        return new Result("ramp", kind, "", client.asked(), held, client.failures(), 0, ticks, 0,
                ticks / config.measureSeconds(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, perStream(memory.rssBytes(), baseline.rssBytes(), held), memory.threads(), serverCpu,
                clientCpu, Double.NaN, Double.NaN, Double.NaN, 0, Map.of());
    }

    // Waits until every expected delivery came, or nothing came for 3 s; returns seconds from the window's start
    // to the last delivery seen, at least the publishing time.
    private static double awaitDeliveries(LoadClient client, long expected, double publishSeconds, Window window)
            throws InterruptedException {
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        double lastDeliverySeconds = window.elapsedSeconds();
        while (true) {
            long count = client.windowDeliveries();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
                lastDeliverySeconds = window.elapsedSeconds();
            }
            if (count >= expected || System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(3)) {
                return Math.max(publishSeconds, lastDeliverySeconds);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /**
     * Measures a warm server, as it would be after minutes in production: a few hundred streams read events at a high
     * rate until the JIT has compiled the delivery path (a fresh JVM otherwise compiles during the first windows,
     * taking a core from the fan-out), then they leave and a few more events let the server notice they are gone.
     */
    void warmUp(SystemKind kind, ServerProcess server) throws Exception {
        if (!kind.publishes() || config.jitWarmupSeconds() <= 0) {
            return;
        }
        Publisher publisher = publisher(server, 0);
        try (LoadClient warmClient = client(server)) {
            warmClient.openUpTo(WARM_UP_STREAMS, config.connectWindow());
            publisher.runAtRate(WARM_UP_RATE, config.jitWarmupSeconds(), PUBLISH_CONNECTIONS);
        }
        publisher.runAtRate(10, 1, PUBLISH_CONNECTIONS); // writes to the closed sockets fail: the server lets go
        TimeUnit.SECONDS.sleep(1);
    }

    void open(LoadClient client, int streams) throws InterruptedException {
        long started = System.nanoTime();
        client.openUpTo(streams, config.connectWindow());
        System.out.printf("   %d streams asked, %d held in %.1f s; failures: %s%n", client.asked(), client.held(),
                (System.nanoTime() - started) / 1e9, client.failures());
        TimeUnit.SECONDS.sleep(1);
    }

    void record(Result measured) {
        Result result = context().map(tags -> measured.withVariant(measured.variant().isEmpty() ? tags
                : tags + "; " + measured.variant())).orElse(measured);
        results.add(result);
        System.out.println("   " + Report.summary(result));
    }

    /** A file written beside the report as {@code <stamp>-<name>}, e.g. the soak's plot. */
    void attach(String name, String content) {
        attachments.add(new Report.Attachment(name, content));
    }

    // The JVM and the round a result belongs to, when the run has more than one of either.
    private Optional<String> context() {
        List<String> tags = new ArrayList<>();
        if (!jvm.label().isEmpty()) {
            tags.add(jvm.label());
        }
        if (round > 0 && config.rounds() > 1) {
            tags.add("round " + round);
        }
        return tags.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", tags));
    }

    ServerProcess start(SystemKind kind, String scenario) throws IOException, InterruptedException {
        return start(kind, scenario, kind.id(), List.of());
    }

    /** Starts {@code kind} with more JVM options, logging to {@code <logs>/<name>.log}. */
    ServerProcess start(SystemKind kind, String scenario, String name, List<String> moreOptions)
            throws IOException, InterruptedException {
        if (kind == SystemKind.FLASK) {
            return ServerProcess.startPython(config.python(), flaskScript(), config.logs());
        }
        List<String> options = new ArrayList<>(jvm.options());
        options.addAll(List.of("-Xmx" + config.serverHeap(), "-Xms256m",
                "-Dssehub.publishToken=" + BenchConfig.TOKEN, "-Dssehub.tickInterval=0",
                // ssehub turns streams beyond ssehub.maxStreams (10,000 by default) away with a retry hint
                "-Dssehub.maxStreams=20000"));
        options.addAll(moreOptions);
        Path run = config.logs().toAbsolutePath().resolve(name + "-" + scenario);
        if (config.jfr()) {
            options.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + run + ".jfr");
        }
        for (String option : config.serverJvmOptions()) { // e.g. a profiler agent writing {run}.html
            options.add(option.replace("{run}", run.toString()));
        }
        Path log = config.logs().resolve(name + ".log");
        if (kind.isDistribution()) {
            Distribution distribution = new Distribution(config.dist(), config.logs().resolve("servers"));
            return ServerProcess.startDistribution(distribution.prepare(kind, name + "-" + scenario, jvm.java(),
                    config.war(), options, config.tomcatRecommended()), log);
        }
        options.add("-Dbench.war=" + config.war().toAbsolutePath());
        List<String> args = switch (kind) {
            case SSEHUB_TOMCAT -> List.of(config.tomcatRecommended());
            case SSEHUB_TOMCAT_DEFAULT -> List.of(TomcatSettings.STOCK);
            default -> List.of();
        };
        return ServerProcess.startJvm(kind, jvm.java(), serverClasspath(), options, args, log);
    }

    LoadClient client(ServerProcess server) throws IOException {
        String path = "/stream?topic=" + BenchConfig.TOPIC;
        return new LoadClient(address(server), path, path + "&topic=" + BenchConfig.HEAVY_TOPIC,
                config.selectorThreads(), freshAddresses(), config.answerTimeoutMillis());
    }

    /** The first source address's offset for a new client: no port of a fresh address is still in TIME_WAIT. */
    int freshAddresses() {
        addressBase += 10;
        return addressBase;
    }

    Publisher publisher(ServerProcess server, int padding) {
        return new Publisher(address(server), BenchConfig.TOKEN, BenchConfig.TOPIC, padding);
    }

    static InetSocketAddress address(ServerProcess server) {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    static double perStream(long bytes, long baseline, int streams) {
        return bytes < 0 || baseline < 0 || streams == 0 ? Double.NaN : (bytes - baseline) / 1024.0 / streams;
    }

    // The WAR carries ssehub's classes: the server's classpath leaves out target/classes so only one copy exists.
    private static String serverClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Files.isRegularFile(Path.of(entry, "dev", "ssehub", "server", "HubLifecycle.class")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private Path flaskScript() throws IOException {
        URL script = Bench.class.getResource("flask_stream.py");
        if (script == null) {
            throw new IOException("flask_stream.py is not on the classpath");
        }
        try {
            return Path.of(script.toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private boolean flaskInstalled() throws InterruptedException {
        try {
            return new ProcessBuilder(config.python(), "-c", "import flask").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** CPU used by the server and by this process between its start and now. */
    private record Window(long startNanos, double serverCpuStart, double clientCpuStart) {

        static Window start(ServerProcess server) throws IOException {
            return new Window(System.nanoTime(), server.cpuSeconds(), ownCpuSeconds());
        }

        double elapsedSeconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        double serverCpuPercent(ServerProcess server) throws IOException {
            return (server.cpuSeconds() - serverCpuStart) / elapsedSeconds() * 100;
        }

        double clientCpuPercent() throws IOException {
            return (ownCpuSeconds() - clientCpuStart) / elapsedSeconds() * 100;
        }

        private static double ownCpuSeconds() throws IOException {
            return ProcStat.cpuTicks(ProcessHandle.current().pid()) / 100.0;
        }
    }
}
