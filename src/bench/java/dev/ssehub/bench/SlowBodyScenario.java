package dev.ssehub.bench;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slow publishers. Live subscribers read a steady topic while plain requests are timed ({@link Probes}); a
 * baseline window is measured; then 250 connections send a {@code POST /publish} head with
 * {@code Content-Length: 65536} and one byte of the body every 2 s, and a second window is measured while they do.
 * Afterwards: how the slow connections ended (408 from a body-read deadline, another answer, closed, still open).
 *
 * <p>The slow connections are not reopened once ended: the second window shows how long they hold the server and
 * what it does once they are gone. Measured for ssehub and for the Jetty peer, whose publish servlet reads its body
 * with blocking I/O in the same container; not for the bare NIO loop, which serves no page.
 */
final class SlowBodyScenario {

    private final Bench bench;
    private final BenchConfig config;

    SlowBodyScenario(Bench bench, BenchConfig config) {
        this.bench = bench;
        this.config = config;
    }

    static boolean measures(SystemKind kind) {
        return kind == SystemKind.SSEHUB_JETTY || kind == SystemKind.SSEHUB_TOMCAT
                || kind == SystemKind.JETTY_EVENTSOURCE;
    }

    void run(SystemKind kind) throws Exception {
        try (ServerProcess server = bench.start(kind, "slow-body"); LoadClient client = bench.client(server)) {
            bench.warmUp(kind, server);
            ServerProcess.Memory baseline = server.memory();
            InetSocketAddress address = Bench.address(server);
            Publisher publisher = bench.publisher(server, 0);
            bench.open(client, config.slowBodySubscribers());
            try (Probes probes = new Probes(address, BenchConfig.TOKEN, config.slowBodyProbeIntervalMillis(),
                    config.answerTimeoutMillis())) {
                bench.publishWarmUp(publisher, config.slowBodyRate());
                bench.record(bench.measure("slow-body", kind, "baseline", server, client, publisher,
                        config.slowBodyRate(), baseline, new ProbeWindow(probes, null)));
                try (SlowBodies slow = new SlowBodies(address, BenchConfig.TOKEN, config.slowBodyContentLength(),
                        config.slowBodyByteIntervalMillis())) {
                    slow.open(config.slowBodyConnections());
                    System.out.println("   slow bodies: " + slow.outcomes());
                    bench.publishWarmUp(publisher, config.slowBodyRate());
                    bench.record(bench.measure("slow-body", kind, config.slowBodyConnections() + " slow bodies",
                            server, client, publisher, config.slowBodyRate(), baseline, new ProbeWindow(probes, slow)));
                }
            }
        }
    }

    /** The probes' latencies over a window and, at its end, how the slow connections stand. */
    private record ProbeWindow(Probes probes, SlowBodies slow) implements Bench.Beside {

        @Override
        public void start() {
            probes.startWindow();
        }

        @Override
        public Map<String, Double> end() throws InterruptedException {
            Map<String, Double> figures = new LinkedHashMap<>(probes.endWindow());
            if (slow != null) {
                SlowBodies.Outcomes o = slow.outcomes();
                figures.put("slow opened", (double) o.opened());
                figures.put("slow 408", (double) o.answered408());
                figures.put("slow other answer", (double) o.answeredOther());
                figures.put("slow closed", (double) o.closed());
                figures.put("slow open", (double) o.open());
                figures.put("slow median s to end", o.medianSecondsToEnd());
            }
            return figures;
        }
    }
}
