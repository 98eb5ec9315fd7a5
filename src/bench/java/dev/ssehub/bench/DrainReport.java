package dev.ssehub.bench;

import java.util.List;
import java.util.Locale;

import static dev.ssehub.bench.Report.num;

/** The report's drain section: the reconnects a stopping node causes, with and without the drain spread. */
final class DrainReport {

    private DrainReport() {
    }

    static void section(StringBuilder md, BenchConfig config, List<Result> results) {
        List<Result> rows = results.stream().filter(r -> r.scenario().equals(DrainScenario.SCENARIO)).toList();
        if (rows.isEmpty()) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%n## Drain: a node stopped (SIGTERM) under %,d streams, its clients "
                + "reconnecting to a second node%n%n", config.drainStreams()));
        md.append("Each client waits the `retry:` it was last sent (the farewell: `retry` 3 s plus a random part of "
                + "`drainTime`), then connects to the second node with its `Last-Event-ID`. Peak: the most reconnects "
                + "(connection attempts; answered: 200 heads) within any one second. Delay: from the end of the old "
                + "stream to the second node's answer. Farewell retries: streams that "
                + "read a `retry:` beyond the one ssehub sends as a stream starts; ended cleanly: with the response's "
                + "last chunk; dropped: the connection closed without it.\n\n");
        md.append("| system | drainTime | held | farewell retries | ended cleanly | dropped | back | "
                + "retry min / p50 / max ms | peak reconnects/s | peak answered/s | delay p50 ms | delay p99 ms | "
                + "delay max ms | failed connects | s to exit |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: "
                + "| ---: |\n");
        for (Result r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s ms | %,d | %s | %s | %s | %s | %s / %s / %s | %s | %s "
                            + "| %s | %s | %s | %s | %s |%n", r.system().id(), num(r.figure("drainTime ms")), r.held(),
                    num(r.figure("farewell retries")), num(r.figure("ended cleanly")), num(r.figure("dropped")),
                    num(r.figure("returned")),
                    num(r.figure("retry min ms")), num(r.figure("retry p50 ms")), num(r.figure("retry max ms")),
                    num(r.figure("peak reconnects/s")), num(r.figure("peak answered/s")),
                    num(r.figure("delay p50 ms")), num(r.figure("delay p99 ms")), num(r.figure("delay max ms")),
                    num(r.figure("failed connects")), num(r.figure("seconds to exit"))));
        }
    }
}
