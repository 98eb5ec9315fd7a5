package dev.ssehub.bench;

import java.util.List;
import java.util.Locale;

import static dev.ssehub.bench.Report.num;

/** The report's soak section: memory, open files and threads over time, events exactly once, metrics agreement. */
final class SoakReport {

    private SoakReport() {
    }

    static void section(StringBuilder md, BenchConfig config, List<Result> results, String stamp) {
        List<Result> rows = results.stream().filter(r -> r.scenario().equals(SoakScenario.SCENARIO)).toList();
        if (rows.isEmpty()) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%n## Soak: %,d streams for %s minutes, %s events/s to all, %s%% "
                        + "(%,d) reconnecting every second with Last-Event-ID%n%n", config.soakStreams(),
                num(config.soakMinutes()), num(config.soakRate()), num(config.soakReconnectPercent()),
                config.soakReconnectsPerSecond()));
        md.append(String.format(Locale.ROOT, "Heap after a full GC in the server every %s s; its slope is the least "
                + "squares fit over the samples; idle: before any stream, after close: once every stream had closed. "
                + "Missing and duplicates: per stream, across all its connections, by sequence number; of the "
                + "missing, those of streams that came back without a Last-Event-ID, having had no id to resume "
                + "from. Open files: `/proc/<pid>/fd`, before the streams opened, at the most during the soak, and "
                + "once every stream had closed.%n%n", num(config.soakSampleSeconds())));
        md.append("| system | held | reconnects | missing (without id) | duplicates | heap idle / first / last / max / "
                + "after close MiB | heap slope bytes/min | open files before / max / after | threads before / max / "
                + "after | failed connects | server CPU |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | --- | ---: | --- | --- | ---: | ---: |\n");
        for (Result r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %,d (%s) | %s | %s / %s / %s / %s / %s | %s "
                            + "| %s / %s / %s (after %s s) | %s / %s / %s | %s | %.0f%% |%n", r.system().id(), r.held(),
                    num(r.figure("reconnects")), r.missing(), num(r.figure("missing unplaced")),
                    num(r.figure("duplicates")),
                    num(r.figure("heap idle MiB")), num(r.figure("heap first MiB")), num(r.figure("heap last MiB")),
                    num(r.figure("heap max MiB")), num(r.figure("heap after close MiB")),
                    num(r.figure("heap slope bytes/min")), num(r.figure("open files before")),
                    num(r.figure("open files max")), num(r.figure("open files after")),
                    num(r.figure("seconds to close")), num(r.figure("threads before")), num(r.figure("threads max")),
                    num(r.figure("threads after")), num(r.figure("failed connects")), r.serverCpu()));
        }
        md.append("\n`/metrics` against the client's counts: events published (every POST answered, so exact); "
                + "streams at the end (reconnects stopped 5 s before the events, so exact) and during the soak, "
                + "where the gauge may count streams the client closed that the server has not written to since "
                + "(allowance: reconnects/s x (1 + 2 / rate) s, plus connections not yet answered); deliveries, "
                + "which the server counts when it queues an event for a subscriber: it counts events queued for "
                + "streams the client had already closed, and not the replays of resumed streams (the client counts "
                + "as replayed an event on a resumed connection published before that connection was answered), "
                + "so excess = metric - (client - replayed) should be small and positive, about rate x the time the "
                + "server needs to notice a closed stream, per reconnect.\n\n");
        md.append("| system | published: metric / accepted | streams at end: metric / held | samples outside "
                + "allowance | max excess / allowance | deliveries: metric / client / replayed | excess | excess "
                + "per reconnect | streams after close (metric) |\n");
        md.append("| --- | --- | --- | ---: | --- | --- | ---: | ---: | ---: |\n");
        for (Result r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s / %s | %s / %s | %s | %s / %s | %s / %s / %s | %s | %s "
                            + "| %s |%n", r.system().id(), num(r.figure("metric published")),
                    num(r.figure("events accepted")), num(r.figure("metric streams at end")),
                    num(r.figure("held at end")), num(r.figure("samples outside allowance")),
                    num(r.figure("metric streams max excess")), num(r.figure("streams allowance")),
                    num(r.figure("metric deliveries")), num(r.figure("client deliveries")),
                    num(r.figure("client replayed")), num(r.figure("deliveries excess")),
                    num(r.figure("deliveries excess per reconnect")), num(r.figure("metric streams after"))));
        }
        for (Result r : rows) {
            String name = stamp + "-" + SoakScenario.SCENARIO + "-" + r.system().id();
            md.append("\n![").append(r.system().id()).append(": heap after GC and streams over the soak](")
                    .append(name).append(".svg) (samples: [").append(name).append(".csv](").append(name)
                    .append(".csv))\n");
        }
    }
}
