package dev.ssehub.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reconnect storm. Topics t1..t16 are filled with 1,000 events each and the first event's id is kept; live
 * subscribers read a steady topic and a quiet window is measured; then 1,000 stormers loop: connect to all the
 * filled topics with that old {@code Last-Event-ID}, read the replay (or until the server ends it), close, connect
 * again; a second window is measured while they do, with the reconnects a second and the replay bytes a second
 * beside the live latency.
 *
 * <p>ssehub only: the peers keep no events, so a stormer would receive nothing and its loop would be paced by the
 * idle limit alone, which measures connection churn rather than replay.
 */
final class StormScenario {

    private static final int FILL_CONNECTIONS = 4;
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private final Bench bench;
    private final BenchConfig config;

    StormScenario(Bench bench, BenchConfig config) {
        this.bench = bench;
        this.config = config;
    }

    static boolean measures(SystemKind kind) {
        return kind == SystemKind.SSEHUB_JETTY || kind == SystemKind.SSEHUB_TOMCAT;
    }

    void run(SystemKind kind) throws Exception {
        try (ServerProcess server = bench.start(kind, "storm"); LoadClient client = bench.client(server)) {
            bench.warmUp(kind, server);
            ServerProcess.Memory baseline = server.memory();
            InetSocketAddress address = Bench.address(server);
            String earlyId = fill(address);
            long replayEvents = (long) config.stormTopics() * config.stormEventsPerTopic() - 1;
            System.out.printf("   %d topics filled with %d events each; stormers ask for the %d after %s%n",
                    config.stormTopics(), config.stormEventsPerTopic(), replayEvents, earlyId);
            Publisher publisher = bench.publisher(server, 0);
            bench.open(client, config.stormSubscribers());
            bench.publishWarmUp(publisher, config.stormRate());
            bench.record(bench.measure("storm", kind, "quiet", server, client, publisher, config.stormRate(),
                    baseline, Bench.Beside.NOTHING));
            try (Stormers stormers = new Stormers(address, streamPath(), earlyId, replayEvents, config.stormers(),
                    config.selectorThreads(), config.stormCapBytes(), config.stormIdleMillis())) {
                bench.publishWarmUp(publisher, config.stormRate()); // the storm builds up meanwhile
                bench.record(bench.measure("storm", kind, config.stormers() + " stormers", server, client,
                        publisher, config.stormRate(), baseline, new Storm(stormers)));
            }
        }
    }

    private String streamPath() {
        StringBuilder path = new StringBuilder("/stream?");
        for (int t = 1; t <= config.stormTopics(); t++) {
            path.append(t == 1 ? "" : "&").append("topic=").append(topic(t));
        }
        return path.toString();
    }

    private static String topic(int t) {
        return "t" + t;
    }

    // Publishes eventsPerTopic events to each topic; returns the id of the first, the early id stormers send.
    private String fill(InetSocketAddress server) throws IOException, InterruptedException {
        String body = "&data=filler+" + "x".repeat(Math.max(0, config.stormEventBytes() - 7));
        String earlyId;
        try (HttpConnection connection = new HttpConnection(server)) {
            HttpConnection.Answer answer = connection.postFormForAnswer("/publish", BenchConfig.TOKEN,
                    "topic=" + topic(1) + body);
            Matcher id = ID.matcher(answer.body());
            if (answer.status() != 200 || !id.find()) {
                throw new IOException("the first fill event was answered " + answer.status() + " " + answer.body());
            }
            earlyId = id.group(1);
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> fillers = new ArrayList<>();
        for (int i = 0; i < FILL_CONNECTIONS; i++) {
            int lane = i;
            Thread filler = new Thread(() -> {
                try (HttpConnection connection = new HttpConnection(server)) {
                    for (int t = 1 + lane; t <= config.stormTopics(); t += FILL_CONNECTIONS) {
                        for (int n = t == 1 ? 1 : 0; n < config.stormEventsPerTopic(); n++) {
                            int status = connection.postForm("/publish", BenchConfig.TOKEN, "topic=" + topic(t) + body);
                            if (status != 200) {
                                throw new IOException("a fill event to " + topic(t) + " was answered " + status);
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "storm-fill-" + i);
            filler.start();
            fillers.add(filler);
        }
        for (Thread filler : fillers) {
            filler.join();
        }
        if (failure.get() != null) {
            throw new IOException("filling the storm's topics failed", failure.get());
        }
        return earlyId;
    }

    /** The stormers' counts over a window: reconnects and replay bytes a second, how the reads ended. */
    private static final class Storm implements Bench.Beside {
        private final Stormers stormers;
        private Stormers.Counts before;
        private long startNanos;

        Storm(Stormers stormers) {
            this.stormers = stormers;
        }

        @Override
        public void start() {
            before = stormers.counts();
            startNanos = System.nanoTime();
        }

        @Override
        public Map<String, Double> end() {
            Stormers.Counts c = stormers.counts().minus(before);
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("reconnects/s", c.reconnects() / seconds);
            figures.put("replay MiB/s", c.bytes() / seconds / (1024 * 1024));
            figures.put("KiB per reconnect", c.reconnects() == 0 ? Double.NaN : c.bytes() / 1024.0 / c.reconnects());
            figures.put("events per reconnect", c.reconnects() == 0 ? Double.NaN
                    : c.events() / (double) c.reconnects());
            figures.put("replays complete", (double) c.complete());
            figures.put("ended by server", (double) c.endedByServer());
            figures.put("capped", (double) c.capped());
            figures.put("idle", (double) c.idle());
            figures.put("non-200", (double) c.nonOk());
            figures.put("failed connects", (double) c.failed());
            return figures;
        }
    }
}
