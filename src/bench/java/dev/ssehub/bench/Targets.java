package dev.ssehub.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The project's performance targets, judged against one run's results: met, not met, or not measured in this
 * run. Reported, never asserted: a benchmark on a shared 2-core machine informs, it does not gate a build.
 */
final class Targets {

    private static final int MOST_STREAMS = 19_000;

    private final List<Result> results;
    private final StringBuilder table = new StringBuilder("| target | system | measured | met? |\n| --- | --- | --- | --- |\n");

    Targets(List<Result> results) {
        this.results = results;
        for (SystemKind ours : List.of(SystemKind.SSEHUB_JETTY, SystemKind.SSEHUB_TOMCAT)) {
            holdsAll(ours);
        }
        for (SystemKind ours : List.of(SystemKind.SSEHUB_JETTY, SystemKind.SSEHUB_TOMCAT)) {
            p99At10k(ours);
        }
        for (SystemKind ours : List.of(SystemKind.SSEHUB_JETTY, SystemKind.SSEHUB_TOMCAT)) {
            againstPeer(ours, SystemKind.JETTY_EVENTSOURCE, 0.5, "broadcast p99 at 19,000 streams ≤ 0.5 x "
                    + "EventSourceServlet's");
            againstPeer(ours, SystemKind.NIO_FLOOR, 1.3, "broadcast p99 at 19,000 streams ≤ 1.3 x the bare NIO loop's");
        }
        for (SystemKind ours : List.of(SystemKind.SSEHUB_JETTY_HOME, SystemKind.SSEHUB_TOMCAT_HOME)) {
            for (int streams : List.of(10_000, MOST_STREAMS)) {
                inDistribution(ours, streams);
            }
        }
        memory();
        for (SystemKind ours : List.of(SystemKind.SSEHUB_JETTY, SystemKind.SSEHUB_TOMCAT)) {
            highRate(ours);
        }
        for (SystemKind ours : List.of(SystemKind.SSEHUB_JETTY, SystemKind.SSEHUB_TOMCAT)) {
            stalled(ours);
        }
        clusterLatency();
        clusterPublishing();
        redisCpu();
    }

    String table() {
        return table.toString();
    }

    private void holdsAll(SystemKind kind) {
        String target = "19,000 streams held, no failure, no missing event";
        Optional<Result> r = ramp(kind, MOST_STREAMS);
        row(target, kind, r.map(x -> String.format(Locale.ROOT, "%,d of %,d held; failures %s; missing %,d", x.held(),
                x.asked(), Report.failures(x), x.missing())), r.map(x -> x.held() == x.asked()
                && x.failures().total() == 0 && x.missing() == 0));
    }

    private void p99At10k(SystemKind kind) {
        Optional<Result> r = ramp(kind, 10_000).filter(Result::hasLatency);
        row("p99 ≤ 100 ms at 10,000 streams, 1 event/s", kind, r.map(x -> "p99 " + Report.num(x.p99()) + " ms"),
                r.map(x -> x.p99() <= 100 && x.held() == x.asked()));
    }

    private void againstPeer(SystemKind kind, SystemKind peer, double limit, String target) {
        Optional<Result> ours = ramp(kind, MOST_STREAMS).filter(Result::hasLatency);
        Optional<Result> theirs = ramp(peer, MOST_STREAMS).filter(Result::hasLatency);
        Optional<String> measured = ours.flatMap(a -> theirs.map(b -> String.format(Locale.ROOT,
                "%s / %s ms = %s", Report.num(a.p99()), Report.num(b.p99()), Report.ratio(a.p99(), b.p99()))));
        row(target, kind, measured, ours.flatMap(a -> theirs.map(b -> a.p99() <= limit * b.p99())));
    }

    // In the distributions users install: p50 and p99 at most 0.8 and 0.5 of EventSourceServlet's in the same
    // jetty-home, and p99 within 2x the bare loop's.
    private void inDistribution(SystemKind kind, int streams) {
        Optional<Result> ours = ramp(kind, streams).filter(Result::hasLatency);
        Optional<Result> peer = ramp(SystemKind.JETTY_EVENTSOURCE_HOME, streams).filter(Result::hasLatency);
        Optional<Result> floor = ramp(SystemKind.NIO_FLOOR, streams).filter(Result::hasLatency);
        String at = String.format(Locale.ROOT, " at %,d streams", streams);
        row("p50 ≤ 0.8 x and p99 ≤ 0.5 x EventSourceServlet's in jetty-home" + at, kind,
                ours.flatMap(a -> peer.map(b -> String.format(Locale.ROOT, "p50 %s / %s ms = %s; p99 %s / %s ms = %s",
                        Report.num(a.p50()), Report.num(b.p50()), Report.ratio(a.p50(), b.p50()),
                        Report.num(a.p99()), Report.num(b.p99()), Report.ratio(a.p99(), b.p99())))),
                ours.flatMap(a -> peer.map(b -> a.p50() <= 0.8 * b.p50() && a.p99() <= 0.5 * b.p99())));
        row("p99 ≤ 2 x the bare NIO loop's" + at, kind,
                ours.flatMap(a -> floor.map(b -> String.format(Locale.ROOT, "%s / %s ms = %s", Report.num(a.p99()),
                        Report.num(b.p99()), Report.ratio(a.p99(), b.p99())))),
                ours.flatMap(a -> floor.map(b -> a.p99() <= 2 * b.p99())));
    }

    private void memory() {
        Optional<Result> jetty = largestRamp(SystemKind.SSEHUB_JETTY);
        row("≤ 12 KiB heap + direct per idle stream on Jetty", SystemKind.SSEHUB_JETTY,
                jetty.map(x -> String.format(Locale.ROOT, "%s KiB (heap %s + direct %s) at %,d streams",
                        Report.num(Report.memory(x)), Report.num(x.heapKiB()), Report.num(x.directKiB()), x.held())),
                jetty.map(x -> Report.memory(x) <= 12));
        for (SystemKind tomcat : List.of(SystemKind.SSEHUB_TOMCAT, SystemKind.SSEHUB_TOMCAT_HOME)) {
            Optional<Result> r = largestRamp(tomcat);
            row("≤ 40 KiB heap + direct per idle stream on Tomcat, recommended connector", tomcat,
                    r.map(x -> String.format(Locale.ROOT, "%s KiB at %,d streams", Report.num(Report.memory(x)),
                            x.held())), r.map(x -> Report.memory(x) <= 40));
        }
        Optional<Result> stock = largestRamp(SystemKind.SSEHUB_TOMCAT_DEFAULT);
        row("Tomcat heap + direct per idle stream, stock connector, reported", SystemKind.SSEHUB_TOMCAT_DEFAULT,
                stock.map(x -> String.format(Locale.ROOT, "%s KiB at %,d streams", Report.num(Report.memory(x)),
                        x.held())), Optional.empty());
    }

    private void highRate(SystemKind kind) {
        Optional<Result> r = results.stream().filter(x -> x.scenario().equals("high-rate") && x.system() == kind)
                .findFirst();
        row("≥ 75,000 deliveries/s sustained at p99 ≤ 250 ms", kind,
                r.map(x -> String.format(Locale.ROOT, "%,.0f deliveries/s, p99 %s ms, missing %,d",
                        x.deliveriesPerSecond(), Report.num(x.p99()), x.missing())),
                r.map(x -> x.deliveriesPerSecond() >= 75_000 && x.p99() <= 250 && x.missing() == 0));
    }

    private void stalled(SystemKind kind) {
        Optional<Result> none = stalledRun(kind, true);
        Optional<Result> some = stalledRun(kind, false);
        row("1% of readers stalled raise the others' p99 by ≤ 10%", kind,
                none.flatMap(a -> some.map(b -> String.format(Locale.ROOT, "p99 %s → %s ms (x %s), missing %,d",
                        Report.num(a.p99()), Report.num(b.p99()), Report.ratio(b.p99(), a.p99()), b.missing()))),
                none.flatMap(a -> some.map(b -> b.p99() <= 1.1 * a.p99() && b.missing() == 0)));
    }

    private void clusterLatency() {
        Optional<Result> a = cluster(ClusterScenario.LATENCY, "node A (publisher's)");
        Optional<Result> b = cluster(ClusterScenario.LATENCY, "node B");
        Optional<Result> single = cluster(ClusterScenario.LATENCY, ClusterScenario.SINGLE);
        Optional<Double> worse = a.flatMap(x -> b.map(y -> Math.max(x.p99(), y.p99())));
        row("cluster p99 (the worse of node A's and node B's) ≤ 1.5 x a single node's at as many streams",
                SystemKind.SSEHUB_JETTY, worse.flatMap(w -> single.map(s -> String.format(Locale.ROOT,
                        "A %s, B %s / single %s ms = %s at %,d streams", Report.num(a.get().p99()),
                        Report.num(b.get().p99()), Report.num(s.p99()), Report.ratio(w, s.p99()), s.asked()))),
                worse.flatMap(w -> single.map(s -> w <= 1.5 * s.p99())));
    }

    private void clusterPublishing() {
        List<Result> rows = results.stream().filter(x -> x.scenario().equals(ClusterScenario.PUBLISH)
                && !x.variant().equals(ClusterScenario.NOBODY)).toList();
        Optional<Result> first = rows.stream().findFirst();
        long missing = rows.stream().mapToLong(Result::missing).sum();
        long failures = rows.stream().mapToLong(x -> x.asked() - x.held()).sum();
        row("≥ 5,000 publishes/s through Redis, every subscriber of both nodes gets every event in one order",
                SystemKind.SSEHUB_JETTY, first.map(x -> String.format(Locale.ROOT, "%,.0f publishes/s, %,d failed "
                                + "POSTs; missing %,d; streams lost %,d; %s distinct orders", x.publishesPerSecond(),
                        x.publishFailures(), missing, failures, Report.num(x.figure(ClusterScenario.ORDERS)))),
                first.map(x -> x.publishesPerSecond() >= 5000 && x.publishFailures() == 0 && missing == 0
                        && failures == 0 && x.figure(ClusterScenario.ORDERS) == 1));
    }

    private void redisCpu() {
        List<Result> rows = results.stream().filter(x -> x.scenario().equals(ClusterScenario.REDIS_CPU)
                && !Double.isNaN(x.figure("redis CPU ms per 1000 publishes"))).toList();
        Optional<String> measured = rows.size() < 2 ? Optional.empty() : Optional.of(rows.stream()
                .map(x -> Report.num(x.figure("redis CPU ms per 1000 publishes")) + " ms ("
                        + x.variant().replace(", node A", "") + ")")
                .reduce((x, y) -> x + ", " + y).orElseThrow());
        row("Redis CPU per 1,000 publishes does not grow with subscribers", SystemKind.SSEHUB_JETTY, measured,
                Optional.empty());
    }

    private Optional<Result> cluster(String scenario, String variant) {
        return results.stream().filter(x -> x.scenario().equals(scenario) && x.variant().equals(variant))
                .findFirst();
    }

    private Optional<Result> stalledRun(SystemKind kind, boolean noneStalled) {
        return results.stream().filter(x -> x.scenario().equals("stalled") && x.system() == kind
                && x.variant().equals("none stalled") == noneStalled).findFirst();
    }

    private Optional<Result> ramp(SystemKind kind, int streams) {
        return results.stream().filter(x -> x.scenario().equals("ramp") && x.system() == kind && x.asked() == streams)
                .findFirst();
    }

    private Optional<Result> largestRamp(SystemKind kind) {
        return results.stream().filter(x -> x.scenario().equals("ramp") && x.system() == kind)
                .reduce((a, b) -> b);
    }

    private void row(String target, SystemKind kind, Optional<String> measured, Optional<Boolean> met) {
        table.append("| ").append(target).append(" | ").append(kind.id()).append(" | ")
                .append(measured.orElse("not measured in this run")).append(" | ")
                .append(measured.isEmpty() ? "—" : met.map(ok -> ok ? "**met**" : "not met").orElse("reported"))
                .append(" |\n");
    }
}
