package dev.ssehub.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The benchmark's settings, from {@code -Dbench.*} system properties (bench/README.md lists them). */
record BenchConfig(
        List<SystemKind> systems,
        List<String> scenarios,
        List<Integer> streams,
        List<Integer> flaskStreams,
        double rate,
        double warmupSeconds,
        double jitWarmupSeconds,
        double measureSeconds,
        int highRateStreams,
        double highRateRate,
        int stalledStreams,
        double stalledRate,
        double stalledHeavyRate,
        int stalledHeavyBytes,
        double stalledFillSeconds,
        int publishSubscribers,
        int publishThreads,
        double publishSeconds,
        int stormSubscribers,
        double stormRate,
        int stormTopics,
        int stormEventsPerTopic,
        int stormEventBytes,
        int stormers,
        int stormCapBytes,
        int stormIdleMillis,
        int slowBodySubscribers,
        double slowBodyRate,
        int slowBodyConnections,
        int slowBodyContentLength,
        int slowBodyByteIntervalMillis,
        int slowBodyProbeIntervalMillis,
        int clusterStreams,
        int clusterSubscribers,
        List<Integer> clusterCpuSubscribers,
        double clusterCpuRate,
        int soakStreams,
        double soakMinutes,
        double soakReconnectPercent,
        double soakRate,
        double soakSampleSeconds,
        int drainStreams,
        List<Long> drainTimes,
        int selectorThreads,
        int connectWindow,
        int answerTimeoutMillis,
        String serverHeap,
        String tomcatRecommended,
        String python,
        boolean jfr,
        List<String> serverJvmOptions,
        List<String> jvms,
        int rounds,
        double maxLoad,
        Path war,
        Path dist,
        Path out,
        Path logs) {

    static final String TOKEN = "bench-token";
    static final String TOPIC = "bench";
    /** The topic of bulk events that only every 100th stream (the stallable ones) also reads. */
    static final String HEAVY_TOPIC = "heavy";

    static BenchConfig fromSystemProperties() {
        Path out = Path.of(text("bench.out", "bench/results"));
        return new BenchConfig(
                list("bench.systems", "ssehub-jetty,ssehub-jetty-home,jetty-eventsource,"
                        + "jetty-eventsource-home,nio-floor,ssehub-tomcat,ssehub-tomcat-home,ssehub-tomcat-default,flask").stream().map(SystemKind::of).toList(),
                list("bench.scenarios", "ramp,high-rate,stalled,publish,storm,slow-body,cluster,drain"),
                list("bench.streams", "1000,5000,10000,19000").stream().map(Integer::parseInt).toList(),
                list("bench.flask.streams", "1000,5000").stream().map(Integer::parseInt).toList(),
                number("bench.rate", 1),
                number("bench.warmupSeconds", 3),
                number("bench.jitWarmupSeconds", 10),
                number("bench.measureSeconds", 20),
                (int) number("bench.highRate.streams", 10_000),
                number("bench.highRate.rate", 8),
                (int) number("bench.stalled.streams", 5_000),
                number("bench.stalled.rate", 4),
                number("bench.stalled.heavyRate", 10),
                (int) number("bench.stalled.heavyBytes", 30_000),
                number("bench.stalled.fillSeconds", 15),
                (int) number("bench.publish.subscribers", 1_000),
                (int) number("bench.publish.threads", 4),
                number("bench.publish.seconds", 10),
                (int) number("bench.storm.subscribers", 1_000),
                number("bench.storm.rate", 4),
                (int) number("bench.storm.topics", 16),
                (int) number("bench.storm.eventsPerTopic", 1_000),
                (int) number("bench.storm.eventBytes", 100),
                (int) number("bench.storm.stormers", 1_000),
                (int) number("bench.storm.capBytes", 4 * 1024 * 1024),
                (int) number("bench.storm.idleMillis", 10_000),
                (int) number("bench.slowBody.subscribers", 1_000),
                number("bench.slowBody.rate", 4),
                (int) number("bench.slowBody.connections", 250),
                (int) number("bench.slowBody.contentLength", 65_536),
                (int) number("bench.slowBody.byteIntervalMillis", 2_000),
                (int) number("bench.slowBody.probeIntervalMillis", 100),
                (int) number("bench.cluster.streams", 9_000),
                (int) number("bench.cluster.subscribers", 1_000),
                list("bench.cluster.cpuSubscribers", "100,10000").stream().map(Integer::parseInt).toList(),
                number("bench.cluster.cpuRate", 8),
                (int) number("bench.soak.streams", 19_000),
                number("bench.soak.minutes", 10),
                number("bench.soak.reconnectPercent", 1),
                number("bench.soak.rate", 2),
                number("bench.soak.sampleSeconds", 30),
                (int) number("bench.drain.streams", 5_000),
                list("bench.drain.times", "0,10000").stream().map(Long::parseLong).toList(),
                (int) number("bench.selectorThreads", 2),
                (int) number("bench.connectWindow", 256),
                (int) number("bench.answerTimeoutMillis", 10_000),
                text("bench.serverHeap", "4g"),
                text("bench.tomcat.recommended", TomcatSettings.RECOMMENDED),
                text("bench.python", "/usr/bin/python3"),
                Boolean.parseBoolean(text("bench.jfr", "false")),
                Arrays.stream(text("bench.serverJvmOptions", "").split("\\s+")).filter(s -> !s.isEmpty()).toList(),
                list("bench.jvms", "default"),
                (int) number("bench.rounds", 1),
                number("bench.maxLoad", 1.0),
                Path.of(text("bench.war", "target/ssehub-0.1.0-SNAPSHOT.war")),
                Path.of(text("bench.dist", "target/dist")),
                out,
                Path.of(text("bench.logs", "target/bench-logs")));
    }

    /** The soak's reconnects a second: {@code soak.reconnectPercent} of its streams. */
    int soakReconnectsPerSecond() {
        return (int) Math.round(soakStreams * soakReconnectPercent / 100);
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    private static String text(String key, String fallback) {
        String value = System.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static double number(String key, double fallback) {
        return Double.parseDouble(text(key, Double.toString(fallback)));
    }

    private static List<String> list(String key, String fallback) {
        return Arrays.stream(text(key, fallback).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
