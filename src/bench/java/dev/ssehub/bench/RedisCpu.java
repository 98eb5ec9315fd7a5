package dev.ssehub.bench;

import dev.ssehub.testkit.RedisServer;

import redis.clients.jedis.Jedis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time Redis used over a window ({@code INFO cpu}: {@code used_cpu_user + used_cpu_sys}, every thread of
 * the redis-server process, in microseconds), per 1,000 events the benchmark published meanwhile: once as measured,
 * once less what Redis uses in the same time with nobody publishing (its own timer and the nodes' idle reads).
 */
final class RedisCpu implements Bench.Beside {

    private final RedisServer redis;
    private double idleSecondsPerSecond;
    private double startCpu;
    private long startSeq;
    private long startNanos;

    RedisCpu(RedisServer redis) {
        this.redis = redis;
    }

    /** Measures what Redis uses with nobody publishing, over {@code seconds}; later windows subtract it. */
    void measureIdle(double seconds) throws InterruptedException {
        double before = cpuSeconds();
        long started = System.nanoTime();
        TimeUnit.MILLISECONDS.sleep((long) (seconds * 1000));
        idleSecondsPerSecond = (cpuSeconds() - before) / ((System.nanoTime() - started) / 1e9);
    }

    @Override
    public void start() {
        startSeq = Publisher.lastSeq();
        startNanos = System.nanoTime();
        startCpu = cpuSeconds();
    }

    @Override
    public Map<String, Double> end() {
        double cpu = cpuSeconds() - startCpu;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long publishes = Publisher.lastSeq() - startSeq;
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("redis publishes", (double) publishes);
        figures.put("redis CPU %", cpu / seconds * 100);
        figures.put("redis idle CPU %", idleSecondsPerSecond * 100);
        figures.put("redis CPU ms per 1000 publishes", publishes == 0 ? Double.NaN : cpu * 1e6 / publishes);
        figures.put("redis CPU ms per 1000 publishes less idle", publishes == 0 ? Double.NaN
                : (cpu - idleSecondsPerSecond * seconds) * 1e6 / publishes);
        return figures;
    }

    private double cpuSeconds() {
        try (Jedis jedis = redis.connect()) {
            String info = jedis.info("cpu");
            return field(info, "used_cpu_user") + field(info, "used_cpu_sys");
        }
    }

    private static double field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new IllegalStateException("INFO cpu has no " + name + ": " + info);
    }
}
