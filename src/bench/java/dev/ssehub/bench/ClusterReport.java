package dev.ssehub.bench;

import java.util.List;
import java.util.Locale;

import static dev.ssehub.bench.Report.failures;
import static dev.ssehub.bench.Report.memory;
import static dev.ssehub.bench.Report.num;

/** The report's cluster section: latency on each node beside a single node, publishing through Redis, Redis CPU. */
final class ClusterReport {

    private ClusterReport() {
    }

    static void section(StringBuilder md, BenchConfig config, List<Result> results) {
        List<Result> latency = of(results, ClusterScenario.LATENCY);
        List<Result> publish = of(results, ClusterScenario.PUBLISH);
        List<Result> cpu = of(results, ClusterScenario.REDIS_CPU);
        if (latency.isEmpty() && publish.isEmpty() && cpu.isEmpty()) {
            return;
        }
        md.append("\n## Cluster: two ssehub-jetty nodes sharing one event log in Redis, publishing to node A\n\n");
        md.append(String.format(Locale.ROOT, "Broadcast at %s event/s to %,d streams on each node; the single node "
                + "(no Redis) holds both nodes' streams. Redis CPU is `INFO cpu` (user + system) over the window.%n%n",
                num(config.rate()), config.clusterStreams()));
        md.append("| streams of | held | failures | deliveries/s | missing | p50 ms | p90 ms | p99 ms | max ms | "
                + "heap + direct KiB/stream | server CPU | Redis CPU |\n");
        md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : latency) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %,.0f | %,d | %s | %s | %s | %s | %s | %.0f%% | "
                            + "%s |%n", r.variant(), r.held(), failures(r), r.deliveriesPerSecond(), r.missing(),
                    num(r.p50()), num(r.p90()), num(r.p99()), num(r.max()), num(memory(r)), r.serverCpu(),
                    percent(r.figure("redis CPU %"))));
        }
        if (!publish.isEmpty()) {
            md.append(String.format(Locale.ROOT, "%nPublishing through Redis: POST /publish to node A flat out on %d "
                    + "keep-alive connections for %s s. Distinct orders: in how many different orders the "
                    + "subscribers of both nodes read the window's events (1: all alike).%n%n",
                    config.publishThreads(), num(config.publishSeconds())));
            md.append("| subscribers of | publishes/s | POST p99 ms | failed POSTs | held | failures | events | "
                    + "missing | distinct orders | events/s each subscriber read | p99 ms | server CPU | "
                    + "Redis CPU ms / 1,000 publishes |\n");
            md.append("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (Result r : publish) {
                md.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %,d | %,d | %s | %,d | %,d | %s | %s | %s | "
                                + "%.0f%% | %s |%n", r.variant(), r.publishesPerSecond(), num(r.publishP99()),
                        r.publishFailures(), r.held(), failures(r), r.events(), r.missing(),
                        num(r.figure(ClusterScenario.ORDERS)),
                        r.held() == 0 ? "n/a" : num(r.deliveriesPerSecond() / r.held()), num(r.p99()),
                        r.serverCpu(), num(r.figure("redis CPU ms per 1000 publishes"))));
            }
        }
        if (!cpu.isEmpty()) {
            md.append(String.format(Locale.ROOT, "%nRedis CPU per publish, %s events/s to subscribers split evenly "
                    + "over the two nodes; \"less idle\" subtracts what Redis used meanwhile with nobody "
                    + "publishing.%n%n", num(config.clusterCpuRate())));
            md.append("| subscribers | held A + B | publishes | Redis CPU ms / 1,000 publishes | less idle | "
                    + "Redis CPU | idle | p99 ms A / B |\n");
            md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
            for (int i = 0; i + 1 < cpu.size(); i += 2) {
                Result a = cpu.get(i);
                Result b = cpu.get(i + 1);
                md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s / %s |%n",
                        a.variant().replace(", node A", ""), a.held() + b.held(), num(a.figure("redis publishes")),
                        num(a.figure("redis CPU ms per 1000 publishes")),
                        num(a.figure("redis CPU ms per 1000 publishes less idle")),
                        percent(a.figure("redis CPU %")), percent(a.figure("redis idle CPU %")), num(a.p99()),
                        num(b.p99())));
            }
        }
    }

    private static String percent(double value) {
        return Double.isNaN(value) ? "" : num(value) + "%";
    }

    private static List<Result> of(List<Result> results, String scenario) {
        return results.stream().filter(r -> r.scenario().equals(scenario)).toList();
    }
}
