package dev.ssehub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Writes a run's results: a markdown report, a CSV of every row, an SVG plot of p99 against streams, and the files
 * scenarios attach (the soak's plot and samples).
 */
final class Report {

    /** A file a scenario wrote, saved beside the report as {@code <stamp>-<name>}. */
    record Attachment(String name, String content) {
    }

    private final BenchConfig config;
    private final Machine machine;
    private final List<Result> results;
    private final List<String> problems;
    private final List<String> runLog;
    private final List<Attachment> attachments;
    private final double minutes;

    Report(BenchConfig config, Machine machine, List<Result> results, List<String> problems, List<String> runLog,
           List<Attachment> attachments, double minutes) {
        this.config = config;
        this.machine = machine;
        this.results = List.copyOf(results);
        this.problems = List.copyOf(problems);
        this.runLog = List.copyOf(runLog);
        this.attachments = List.copyOf(attachments);
        this.minutes = minutes;
    }

    List<Path> write() throws IOException {
        Files.createDirectories(config.out());
        String stamp = machine.stamp();
        Path md = config.out().resolve(stamp + ".md");
        Path csv = config.out().resolve(stamp + ".csv");
        Path svg = config.out().resolve(stamp + "-p99.svg");
        Files.writeString(md, markdown(), StandardCharsets.UTF_8);
        Files.writeString(csv, csv(), StandardCharsets.UTF_8);
        Files.writeString(svg, new SvgPlot(machine, config.rate(), ramp(r -> true)).render(), StandardCharsets.UTF_8);
        List<Path> written = new ArrayList<>(List.of(md, csv, svg));
        for (Attachment attachment : attachments) {
            Path file = config.out().resolve(stamp + "-" + attachment.name());
            Files.writeString(file, attachment.content(), StandardCharsets.UTF_8);
            written.add(file);
        }
        return written;
    }

    /** One line for the console while the benchmark runs. */
    static String summary(Result r) {
        return String.format(Locale.ROOT, "%s %s%s: %d/%d held, %s, %.0f deliveries/s, missing %d, "
                        + "p50/p90/p99/max %s/%s/%s/%s ms, heap %s + direct %s KiB/stream, rss %s KiB/stream, "
                        + "server CPU %.0f%%, client CPU %.0f%%%s",
                r.scenario(), r.system().id(), r.variant().isEmpty() ? "" : " (" + r.variant() + ")", r.held(),
                r.asked(), failures(r), r.deliveriesPerSecond(), r.missing(), num(r.p50()), num(r.p90()),
                num(r.p99()), num(r.max()), num(r.heapKiB()), num(r.directKiB()), num(r.rssKiB()), r.serverCpu(),
                r.clientCpu(), Double.isNaN(r.publishesPerSecond()) ? ""
                        : String.format(Locale.ROOT, ", %.0f publishes/s", r.publishesPerSecond()));
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ssehub benchmark, ").append(machine.date().toLocalDate()).append("\n\n");
        md.append("- **When**: ").append(machine.date()).append(String.format(Locale.ROOT, " (%.1f minutes)%n", minutes));
        md.append("- **Machine**: ").append(machine.summary()).append(", host `").append(machine.host()).append("`\n");
        md.append("- **Load average** (1/5/15 min, other work on the machine included): before ")
                .append(machine.loadBefore()).append(", after ").append(machine.loadAfter()).append("\n");
        md.append("- **Load client**: this JVM, ").append(config.selectorThreads())
                .append(" selector threads, loopback, source addresses 127.0.0.x; every server in its own process, ")
                .append("JVMs with -Xmx").append(config.serverHeap())
                .append(config.serverJvmOptions().isEmpty() ? "" : " " + String.join(" ", config.serverJvmOptions()))
                .append("\n");
        md.append(String.format(Locale.ROOT, "- **Settings**: ramp %s streams at %s event/s (Flask: %s), %s s warm-up"
                        + " + %s s measured per step; high rate %d streams x %s events/s; stalled %d streams x %s "
                        + "events/s, every 100th also %s events/s of %,d bytes; publishing %d subscribers, %d publisher connections for %s s; "
                        + "Tomcat recommended connector `%s`%n",
                config.streams(), num(config.rate()), config.flaskStreams(), num(config.warmupSeconds()),
                num(config.measureSeconds()), config.highRateStreams(), num(config.highRateRate()),
                config.stalledStreams(), num(config.stalledRate()), num(config.stalledHeavyRate()),
                config.stalledHeavyBytes(),
                config.publishSubscribers(), config.publishThreads(), num(config.publishSeconds()),
                config.tomcatRecommended()));
        if (!of("storm").isEmpty()) {
            md.append(String.format(Locale.ROOT, "- **Storm**: %,d subscribers x %s events/s; %d topics of %,d events "
                            + "of %d bytes; %,d stormers, cap %,d bytes, idle limit %d ms%n", config.stormSubscribers(),
                    num(config.stormRate()), config.stormTopics(), config.stormEventsPerTopic(),
                    config.stormEventBytes(), config.stormers(), config.stormCapBytes(), config.stormIdleMillis()));
        }
        if (!of("slow-body").isEmpty()) {
            md.append(String.format(Locale.ROOT, "- **Slow bodies**: %,d subscribers x %s events/s; %d connections "
                            + "announcing %,d bytes, one byte every %d ms; a probe of each kind every %d ms%n",
                    config.slowBodySubscribers(), num(config.slowBodyRate()), config.slowBodyConnections(),
                    config.slowBodyContentLength(), config.slowBodyByteIntervalMillis(),
                    config.slowBodyProbeIntervalMillis()));
        }
        if (results.stream().anyMatch(r -> r.scenario().startsWith(ClusterScenario.LATENCY))) {
            md.append(String.format(Locale.ROOT, "- **Cluster**: 2 nodes x %,d streams at %s event/s beside a single "
                            + "node x %,d; Redis CPU with %s subscribers at %s events/s; publishing flat out to %,d "
                            + "subscribers%n", config.clusterStreams(), num(config.rate()), 2 * config.clusterStreams(),
                    config.clusterCpuSubscribers(), num(config.clusterCpuRate()), config.clusterSubscribers()));
        }
        md.append("- **Systems**:\n");
        results.stream().map(Result::system).distinct()
                .forEach(kind -> md.append("  - `").append(kind.id()).append("`: ").append(kind.description())
                        .append("\n"));
        md.append("\nLatency is publish-to-receive per delivered event (publish time taken in the publisher just "
                + "before the POST is written). Memory is after a full GC in the server, over its baseline before "
                + "any stream, divided by the streams held; Flask shows resident memory instead. CPU is percent of "
                + "one core (200% = both). See bench/README.md for the method.\n");
        rampSection(md);
        ratioSection(md);
        highRateSection(md);
        stalledSection(md);
        publishSection(md);
        stormSection(md);
        slowBodySection(md);
        ClusterReport.section(md, config, results);
        DrainReport.section(md, config, results);
        SoakReport.section(md, config, results, machine.stamp());
        md.append("\n## Targets\n\n");
        md.append(new Targets(results).table());
        if (!problems.isEmpty()) {
            md.append("\n## Problems during the run\n\n");
            problems.forEach(problem -> md.append("- ").append(problem).append("\n"));
        }
        md.append("\n## Run log (1-minute load average when each part started; Flask's threads raise it)\n\n");
        runLog.forEach(line -> md.append("- ").append(line).append("\n"));
        return md.toString();
    }

    private void rampSection(StringBuilder md) {
        List<Result> ramp = ramp(r -> true);
        if (ramp.isEmpty()) {
            return;
        }
        md.append("\n## Streams held and broadcast latency (").append(num(config.rate()))
                .append(" event/s to every stream)\n\n");
        md.append("| system | streams asked | held | failures | failed POSTs | deliveries/s | missing | p50 ms | "
                + "p90 ms | p99 ms | max ms | heap KiB/stream | direct KiB/stream | RSS KiB/stream | server threads | "
                + "server CPU | client CPU | load |\n");
        md.append("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
                + "---: | ---: | ---: | ---: |\n");
        for (Result r : ramp) {
            md.append(String.format(Locale.ROOT,
                    "| %s | %,d | %,d | %s | %,d | %,.0f | %,d | %s | %s | %s | %s | %s | %s | %s | %d | %.0f%% | "
                            + "%.0f%% | %s |%n",
                    label(r), r.asked(), r.held(), failures(r), r.publishFailures(), r.deliveriesPerSecond(),
                    r.missing(),
                    num(r.p50()), num(r.p90()), num(r.p99()), num(r.max()), num(r.heapKiB()), num(r.directKiB()),
                    num(r.rssKiB()), r.serverThreads(), r.serverCpu(), r.clientCpu(), num(r.figure(Result.LOAD))));
        }
        md.append("\nload: the 1-minute load average as the window ended (both cores busy is 2).\n");
        md.append("\n![p99 latency against streams](").append(machine.stamp()).append("-p99.svg)\n");
    }

    private void ratioSection(StringBuilder md) {
        List<String[]> pairs = List.of(
                new String[] {"ssehub-jetty", "jetty-eventsource"},
                new String[] {"ssehub-tomcat", "jetty-eventsource"},
                new String[] {"ssehub-jetty-home", "jetty-eventsource-home"},
                new String[] {"ssehub-tomcat-home", "jetty-eventsource-home"},
                new String[] {"ssehub-jetty", "nio-floor"},
                new String[] {"ssehub-tomcat", "nio-floor"},
                new String[] {"ssehub-jetty-home", "nio-floor"},
                new String[] {"ssehub-tomcat-home", "nio-floor"});
        List<String> variants = ramp(r -> true).stream().map(Result::variant).distinct().toList();
        StringBuilder rows = new StringBuilder();
        for (String variant : variants) { // a JVM or a round: compared only with the peer run the same way
            for (int streams : config.streams()) {
                for (String[] pair : pairs) {
                    Optional<Result> ours = rampAt(pair[0], streams, variant);
                    Optional<Result> peer = rampAt(pair[1], streams, variant);
                    if (ours.isPresent() && peer.isPresent()) {
                        Result a = ours.get();
                        Result b = peer.get();
                        rows.append(String.format(Locale.ROOT, "| %,d | %s / %s%s | %s | %s | %s | %s |%n", streams,
                                pair[0], pair[1], variant.isEmpty() ? "" : " (" + variant + ")",
                                ratio(a.p50(), b.p50()), ratio(a.p99(), b.p99()), ratio(a.max(), b.max()),
                                ratio(memory(a), memory(b))));
                    }
                }
            }
        }
        for (Result ours : ramp(r -> r.system().isSsehub())) {
            Optional<Result> flask = results.stream().filter(r -> r.system() == SystemKind.FLASK
                    && r.asked() == ours.asked()).findFirst();
            flask.ifPresent(f -> rows.append(String.format(Locale.ROOT, "| %,d | %s / flask | | | | streams held "
                    + "%s; RSS/stream %s |%n", ours.asked(), ours.system().id(), ratio(ours.held(), f.held()),
                    ratio(ours.rssKiB(), f.rssKiB()))));
        }
        if (rows.length() > 0) {
            md.append("\n## Ratios, ours / peer (below 1: ssehub is lower)\n\n");
            md.append("| streams | systems | p50 | p99 | max | heap + direct per stream |\n");
            md.append("| ---: | --- | ---: | ---: | ---: | ---: |\n");
            md.append(rows);
        }
    }

    private void highRateSection(StringBuilder md) {
        List<Result> rows = of("high-rate");
        if (rows.isEmpty()) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%n## High rate: %,d streams x %s events/s%n%n", config.highRateStreams(),
                num(config.highRateRate())));
        md.append("| system | held | failures | events | deliveries/s | missing | p50 ms | p90 ms | p99 ms | max ms | "
                + "publisher lag max ms | server CPU | client CPU |\n");
        md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %,d | %,.0f | %,d | %s | %s | %s | %s | %s | "
                            + "%.0f%% | %.0f%% |%n", r.system().id(), r.held(), failures(r), r.events(),
                    r.deliveriesPerSecond(), r.missing(), num(r.p50()), num(r.p90()), num(r.p99()), num(r.max()),
                    num(r.publishLagMax()), r.serverCpu(), r.clientCpu()));
        }
    }

    private void stalledSection(StringBuilder md) {
        List<Result> rows = of("stalled");
        if (rows.isEmpty()) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%n## Stalled readers: %,d streams x %s events/s; every 100th stream "
                        + "(4 KiB receive buffer) also reads a topic of %s events/s of %,d bytes, then stops reading; "
                        + "measured after %s s more, so that their socket buffers are full%n%n",
                config.stalledStreams(), num(config.stalledRate()), num(config.stalledHeavyRate()),
                config.stalledHeavyBytes(), num(config.stalledFillSeconds())));
        md.append("| system | readers stalled | others' deliveries/s | others missing | others' p50 ms | others' p99 ms | "
                + "others' max ms | p99 / p99 with none stalled | server CPU |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : rows) {
            Optional<Result> none = rows.stream().filter(o -> o.system() == r.system()
                    && o.variant().equals("none stalled")).findFirst();
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,d | %s | %s | %s | %s | %.0f%% |%n",
                    r.system().id(), r.variant(), r.deliveriesPerSecond(), r.missing(), num(r.p50()), num(r.p99()),
                    num(r.max()), none.map(n -> ratio(r.p99(), n.p99())).orElse("n/a"), r.serverCpu()));
        }
    }

    private void publishSection(StringBuilder md) {
        List<Result> rows = of("publish");
        if (rows.isEmpty()) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%n## Publishing throughput: POST /publish flat out on %d keep-alive "
                + "connections for %s s, %,d subscribers%n%n", config.publishThreads(), num(config.publishSeconds()),
                config.publishSubscribers()));
        md.append("When each subscriber reads fewer events a second than were published, the subscribers fell behind "
                + "(their p99 grows with the backlog): the rate they read is what this machine sustains.\n\n");
        md.append("| system | publishing | publishes/s | POST p99 ms | failed POSTs | deliveries/s | "
                + "events/s each subscriber read | subscribers held | subscribers' missing | subscribers' p99 ms | "
                + "server CPU |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : rows) {
            String perSubscriber = r.held() == 0 || r.deliveriesPerSecond() == 0 ? "n/a"
                    : String.format(Locale.ROOT, "%,.0f", r.deliveriesPerSecond() / r.held());
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %s | %,d | %,.0f | %s | %,d | %,d | %s | %.0f%% |%n",
                    r.system().id(), r.variant(), r.publishesPerSecond(), num(r.publishP99()), r.publishFailures(),
                    r.deliveriesPerSecond(), perSubscriber, r.held(), r.missing(), num(r.p99()), r.serverCpu()));
        }
    }

    private void stormSection(StringBuilder md) {
        List<Result> rows = of("storm");
        if (rows.isEmpty()) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%n## Reconnect storm: %,d subscribers x %s events/s, then %,d clients "
                        + "reconnecting in a loop to %d topics of %,d events with an old Last-Event-ID%n%n",
                config.stormSubscribers(), num(config.stormRate()), config.stormers(), config.stormTopics(),
                config.stormEventsPerTopic()));
        md.append("Each stormer reads until it has the replay, the server ends the response (ssehub ends a replay "
                + "that does not fit the stream's queue with `retry: 100`), or the cap; then it connects again "
                + "with the same id. Quiet and storm are the same server, subscribers and run.\n\n");
        md.append("| system | window | subscribers held | missing | p50 ms | p99 ms | max ms | reconnects/s | "
                + "replay MiB/s | KiB per reconnect | ended by server / complete / capped / idle | non-200 | "
                + "failed connects | server CPU |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |\n");
        for (Result r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s "
                            + "| %.0f%% |%n", r.system().id(), r.variant(), r.held(), r.missing(), num(r.p50()),
                    num(r.p99()), num(r.max()), num(r.figure("reconnects/s")), num(r.figure("replay MiB/s")),
                    num(r.figure("KiB per reconnect")), Double.isNaN(r.figure("ended by server")) ? "" : String.join(" / ",
                            num(r.figure("ended by server")), num(r.figure("replays complete")),
                            num(r.figure("capped")), num(r.figure("idle"))),
                    num(r.figure("non-200")), num(r.figure("failed connects")), r.serverCpu()));
        }
    }

    private void slowBodySection(StringBuilder md) {
        List<Result> rows = of("slow-body");
        if (rows.isEmpty()) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%n## Slow bodies: %,d connections send POST /publish with "
                        + "Content-Length %,d and then one byte every %s s%n%n", config.slowBodyConnections(),
                config.slowBodyContentLength(), num(config.slowBodyByteIntervalMillis() / 1000.0)));
        md.append(String.format(Locale.ROOT, "Plain requests on fresh connections, one of each kind every %d ms, "
                        + "timed to the end of the answer (a new stream: to its first bytes); one unanswered after "
                        + "%,d ms counts at that time, as timed out. Live: %,d subscribers x %s events/s.%n%n",
                config.slowBodyProbeIntervalMillis(), config.answerTimeoutMillis(), config.slowBodySubscribers(),
                num(config.slowBodyRate())));
        md.append("| system | window | request | requests (live: deliveries) | p50 ms | p99 ms | max ms | timed out | "
                + "failed |\n");
        md.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : rows) {
            // A publisher whose POSTs hang numbers no more events: "missing" counts only the events it did post.
            md.append(String.format(Locale.ROOT, "| %s | %s | live events | %,d | %s | %s | %s | | %,d missing; "
                            + "%,d of %,.0f events posted, %,d POSTs failed |%n", r.system().id(), r.variant(),
                    r.deliveries(), num(r.p50()), num(r.p99()), num(r.max()), r.missing(), r.events(),
                    config.slowBodyRate() * config.measureSeconds(), r.publishFailures()));
            for (String kind : Probes.kinds()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        r.system().id(), r.variant(), kind, num(r.figure(kind + " requests")),
                        num(r.figure(kind + " p50 ms")), num(r.figure(kind + " p99 ms")),
                        num(r.figure(kind + " max ms")), num(r.figure(kind + " timed out")),
                        num(r.figure(kind + " failed"))));
            }
        }
        List<Result> slow = rows.stream().filter(r -> !Double.isNaN(r.figure("slow opened"))).toList();
        if (!slow.isEmpty()) {
            md.append("\nHow the slow connections stood at the end of the window:\n\n");
            md.append("| system | opened | answered 408 | other answer | closed without answer | still open | "
                    + "median s to their end |\n");
            md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (Result r : slow) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", r.system().id(),
                        num(r.figure("slow opened")), num(r.figure("slow 408")), num(r.figure("slow other answer")),
                        num(r.figure("slow closed")), num(r.figure("slow open")),
                        num(r.figure("slow median s to end"))));
            }
        }
    }

    String csv() {
        StringBuilder csv = new StringBuilder("date,machine,load_before,scenario,system,variant,streams_asked,"
                + "streams_held,failures,refused,reset,closed_by_server,non_200,unanswered,other_failures,events,"
                + "deliveries,missing,deliveries_per_s,p50_ms,p90_ms,p99_ms,max_ms,heap_kib_per_stream,"
                + "direct_kib_per_stream,rss_kib_per_stream,server_threads,server_cpu_pct,client_cpu_pct,"
                + "publishes_per_s,publish_p99_ms,publisher_lag_max_ms,publish_failures,figures\n");
        String machineText = quote(machine.cores() + " cores, " + machine.memoryBytes() / (1024 * 1024) + " MiB, Linux "
                + machine.kernel() + ", " + System.getProperty("java.runtime.version"));
        for (Result r : results) {
            LoadClient.Failures f = r.failures();
            csv.append(String.join(",", machine.date().toString(), machineText, quote(machine.loadBefore()),
                    r.scenario(), r.system().id(), quote(r.variant()), Integer.toString(r.asked()),
                    Integer.toString(r.held()), Long.toString(f.total()), Long.toString(f.refused()),
                    Long.toString(f.reset()), Long.toString(f.closedByServer()), Long.toString(f.badStatus()),
                    Long.toString(f.unanswered()), Long.toString(f.other()), Long.toString(r.events()),
                    Long.toString(r.deliveries()), Long.toString(r.missing()), csvNum(r.deliveriesPerSecond()),
                    csvNum(r.p50()), csvNum(r.p90()), csvNum(r.p99()), csvNum(r.max()), csvNum(r.heapKiB()),
                    csvNum(r.directKiB()), csvNum(r.rssKiB()), Integer.toString(r.serverThreads()),
                    csvNum(r.serverCpu()), csvNum(r.clientCpu()), csvNum(r.publishesPerSecond()),
                    csvNum(r.publishP99()), csvNum(r.publishLagMax()), Long.toString(r.publishFailures()),
                    quote(figures(r))));
            csv.append("\n");
        }
        return csv.toString();
    }

    // A scenario's own figures in one column: "name=value; name=value", in the order they were taken.
    private static String figures(Result r) {
        List<String> pairs = new ArrayList<>();
        r.figures().forEach((name, value) -> pairs.add(name + "=" + csvNum(value)));
        return String.join("; ", pairs);
    }

    private List<Result> ramp(Predicate<Result> filter) {
        return results.stream().filter(r -> r.scenario().equals("ramp")).filter(filter).toList();
    }

    private List<Result> of(String scenario) {
        return results.stream().filter(r -> r.scenario().equals(scenario)).toList();
    }

    private Optional<Result> rampAt(String system, int streams, String variant) {
        return ramp(r -> r.system().id().equals(system) && r.asked() == streams && r.variant().equals(variant))
                .stream().findFirst();
    }

    private static String label(Result r) {
        return r.variant().isEmpty() ? r.system().id() : r.system().id() + " (" + r.variant() + ")";
    }

    static double memory(Result r) {
        return r.heapKiB() + (Double.isNaN(r.directKiB()) ? 0 : r.directKiB());
    }

    static String failures(Result r) {
        LoadClient.Failures f = r.failures();
        if (f.total() == 0) {
            return "0";
        }
        List<String> parts = new ArrayList<>();
        add(parts, f.refused(), "refused");
        add(parts, f.reset(), "reset");
        add(parts, f.closedByServer(), "closed by server");
        add(parts, f.badStatus(), "non-200");
        add(parts, f.unanswered(), "unanswered");
        add(parts, f.other(), "other");
        return String.join(", ", parts);
    }

    private static void add(List<String> parts, long count, String what) {
        if (count > 0) {
            parts.add(String.format(Locale.ROOT, "%,d %s", count, what));
        }
    }

    static String ratio(double ours, double peer) {
        return Double.isNaN(ours) || Double.isNaN(peer) || peer == 0 ? "n/a"
                : String.format(Locale.ROOT, "%.2f", ours / peer);
    }

    static String num(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String csvNum(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
