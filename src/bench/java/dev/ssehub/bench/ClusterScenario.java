package dev.ssehub.bench;

import dev.ssehub.testkit.RedisServer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cluster mode: two ssehub nodes (Jetty, each its own process) sharing one event log in a redis-server that the
 * benchmark starts itself (a free port, files under {@code target/}, no persistence). The publisher posts to node
 * A only, so what node B's subscribers receive went through Redis and B's log reader.
 * <ol>
 * <li>Redis's CPU per 1,000 publishes with few and with many subscribers, split evenly over the two nodes, at a
 *     modest rate (scenario {@code cluster-redis-cpu}); one append costs Redis the same whoever reads it.</li>
 * <li>Broadcast latency with {@code cluster.streams} on each node, for A's and B's subscribers separately
 *     (scenario {@code cluster}).</li>
 * <li>Publishing flat out through Redis to a few hundred subscribers on each node, and whether every one of them
 *     read every event in one and the same order (scenario {@code cluster-publish}); then to a topic nobody
 *     reads, for the append path alone.</li>
 * <li>A single node without Redis holding as many streams as both nodes together, measured like step 2.</li>
 * </ol>
 */
final class ClusterScenario {

    static final String LATENCY = "cluster";
    static final String PUBLISH = "cluster-publish";
    static final String REDIS_CPU = "cluster-redis-cpu";
    static final String SINGLE = "single node";
    static final String NOBODY = "a topic nobody reads";
    /** Figure: how many different orders the subscribers read the window's events in (1: all the same). */
    static final String ORDERS = "distinct orders";

    private static final SystemKind KIND = SystemKind.SSEHUB_JETTY;
    private static final double IDLE_SECONDS = 5;
    private static final double FLAT_OUT_WARM_UP_SECONDS = 2;

    private final Bench bench;
    private final BenchConfig config;

    ClusterScenario(Bench bench, BenchConfig config) {
        this.bench = bench;
        this.config = config;
    }

    void run() throws Exception {
        try (RedisServer redis = startRedis()) {
            Thread killOnExit = new Thread(redis::close, "kill-redis-server");
            Runtime.getRuntime().addShutdownHook(killOnExit);
            try {
                runNodes(redis);
            } finally {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            }
        }
        single();
    }

    private RedisServer startRedis() throws Exception {
        RedisServer redis = RedisServer.start(config.logs().resolve("redis"), false);
        System.out.println("   redis-server at " + redis.url());
        return redis;
    }

    private void runNodes(RedisServer redis) throws Exception {
        List<String> clusterOptions = List.of("-Dssehub.redisUrl=" + redis.url());
        try (ServerProcess a = bench.start(KIND, LATENCY, "ssehub-node-a", clusterOptions);
             ServerProcess b = bench.start(KIND, LATENCY, "ssehub-node-b", clusterOptions)) {
            bench.warmUp(KIND, a);
            bench.warmUp(KIND, b);
            ServerProcess.Memory baselineA = a.memory();
            ServerProcess.Memory baselineB = b.memory();
            RedisCpu redisCpu = new RedisCpu(redis);
            redisCpu.measureIdle(IDLE_SECONDS);
            Publisher publisher = bench.publisher(a, 0);
            try (LoadClient clientA = bench.client(a); LoadClient clientB = bench.client(b)) {
                for (int subscribers : config.clusterCpuSubscribers().stream().sorted().toList()) {
                    openEach(clientA, clientB, subscribers / 2);
                    List<Bench.Node> nodes = List.of(
                            new Bench.Node(subscribers + " subscribers, node A", a, clientA, baselineA),
                            new Bench.Node(subscribers + " subscribers, node B", b, clientB, baselineB));
                    bench.publishWarmUp(publisher, config.clusterCpuRate());
                    bench.measure(REDIS_CPU, KIND, nodes, publisher, config.clusterCpuRate(), redisCpu)
                            .forEach(bench::record);
                }
                openEach(clientA, clientB, config.clusterStreams());
                List<Bench.Node> nodes = List.of(
                        new Bench.Node("node A (publisher's)", a, clientA, baselineA),
                        new Bench.Node("node B", b, clientB, baselineB));
                bench.publishWarmUp(publisher, config.rate());
                bench.measure(LATENCY, KIND, nodes, publisher, config.rate(), redisCpu).forEach(bench::record);
            }
            try (LoadClient clientA = bench.client(a); LoadClient clientB = bench.client(b)) {
                flatOut(a, b, clientA, clientB, baselineA, baselineB, redisCpu);
            }
        }
    }

    private void flatOut(ServerProcess a, ServerProcess b, LoadClient clientA, LoadClient clientB,
                         ServerProcess.Memory baselineA, ServerProcess.Memory baselineB, RedisCpu redisCpu)
            throws Exception {
        openEach(clientA, clientB, config.clusterSubscribers() / 2);
        bench.publisher(a, 0).runFlatOut(FLAT_OUT_WARM_UP_SECONDS, config.publishThreads());
        TimeUnit.SECONDS.sleep(1); // the warm-up's backlog drains before the window
        clientA.endWindow();
        clientB.endWindow();
        List<Bench.Node> nodes = List.of(
                new Bench.Node("node A (publisher's)", a, clientA, baselineA),
                new Bench.Node("node B", b, clientB, baselineB));
        long first = Publisher.lastSeq() + 1;
        List<Result> results = bench.flatOut(PUBLISH, KIND, nodes, bench.publisher(a, 0), redisCpu);
        Map<Long, Long> orders = clientA.orders(first);
        clientB.orders(first).forEach((order, streams) -> orders.merge(order, streams, Long::sum));
        System.out.println("   streams by the order they read the events in: " + orders.values());
        results.forEach(r -> bench.record(r.withFigures(Map.of(ORDERS, (double) orders.size()))));
        // The append path alone: the same through Redis, but no node has a subscriber to feed.
        Publisher unread = new Publisher(Bench.address(a), BenchConfig.TOKEN, "nobody", 0);
        bench.record(bench.flatOut(PUBLISH, KIND, List.of(new Bench.Node(NOBODY, a, clientA, baselineA)), unread,
                redisCpu).get(0));
    }

    private void single() throws Exception {
        try (ServerProcess server = bench.start(KIND, LATENCY, "ssehub-single", List.of());
             LoadClient client = bench.client(server)) {
            bench.warmUp(KIND, server);
            ServerProcess.Memory baseline = server.memory();
            Publisher publisher = bench.publisher(server, 0);
            bench.open(client, 2 * config.clusterStreams());
            bench.publishWarmUp(publisher, config.rate());
            bench.record(bench.measure(LATENCY, KIND, SINGLE, server, client, publisher, config.rate(), baseline,
                    Bench.Beside.NOTHING));
        }
    }

    private void openEach(LoadClient clientA, LoadClient clientB, int streams) throws InterruptedException {
        bench.open(clientA, streams);
        bench.open(clientB, streams);
    }
}
