package dev.ssehub.testkit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's prometheus run by a test on a free loopback port: a generated prometheus.yml with the caller's scrape
 * jobs (checked first with {@code promtool check config}), its TSDB and log in one directory under target/.
 * Started in the foreground, stopped with SIGTERM. Also {@code promtool check metrics}, the linter of an exposition.
 */
public final class Prometheus implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(15);
    private static final String PACKAGE = "prometheus";

    /** One scrape job with one target: the full URI of its metrics and the bearer token it sends. */
    public record ScrapeJob(String name, URI metrics, String bearerToken) {
    }

    private final ExternalProcess process;
    private final URI uri;

    private Prometheus(ExternalProcess process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    /** Starts prometheus in {@code directory} (emptied first) scraping every job each {@code interval}. */
    public static Prometheus start(Path directory, Duration interval, List<ScrapeJob> jobs) throws Exception {
        Path prometheus = ExternalTool.require(PACKAGE, "prometheus");
        Path promtool = ExternalTool.require(PACKAGE, "promtool");
        ContainerDistribution.deleteRecursively(directory);
        Files.createDirectories(directory);
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, configuration(interval, jobs));
        ExternalProcess.run("promtool check config", List.of(promtool.toString(), "check", "config",
                config.toString()), directory, directory.resolve("check-config.out"), TOOL_TIMEOUT);

        int port = ExternalProcess.freePort();
        ExternalProcess process = ExternalProcess.start("prometheus", List.of(prometheus.toString(),
                        "--config.file=" + config, "--storage.tsdb.path=" + directory.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port, "--log.level=info"),
                directory, directory.resolve("prometheus.log"));
        Prometheus started = new Prometheus(process, URI.create("http://127.0.0.1:" + port + "/"));
        try {
            started.awaitReady();
        } catch (Throwable failed) {
            started.close();
            throw failed;
        }
        return started;
    }

    /**
     * The problems {@code promtool check metrics} finds in an exposition in the Prometheus text format, one a line;
     * empty when it finds none. The text and promtool's answer stay in {@code directory}.
     */
    public static List<String> lintMetrics(String exposition, Path directory) throws Exception {
        Path promtool = ExternalTool.require(PACKAGE, "promtool");
        Files.createDirectories(directory);
        Path scrape = directory.resolve("scrape.txt");
        Files.writeString(scrape, exposition);
        try (ExternalProcess check = ExternalProcess.start("promtool check metrics",
                List.of(promtool.toString(), "check", "metrics"), Map.of(), scrape, directory,
                directory.resolve("check-metrics.out"))) {
            int status = check.awaitExit(TOOL_TIMEOUT);
            List<String> problems = check.output().lines().toList();
            // 0: no problem; 3: lint problems, listed; anything else: it could not read the text at all.
            if (!(status == 0 && problems.isEmpty() || status == 3 && !problems.isEmpty())) {
                fail("promtool check metrics exited with " + status + ":\n" + check.output());
            }
            return problems;
        }
    }

    /**
     * Waits until every target of {@code job} was scraped at or after {@code instant} (the scrape began then, so
     * it saw all that happened before).
     */
    public void awaitScrapeAfter(String job, Instant instant, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String query = "timestamp(up{job=\"" + job + "\"})";
        while (true) {
            Map<Map<String, String>, Double> scrapes = query(query);
            if (!scrapes.isEmpty() && scrapes.values().stream().allMatch(at -> at * 1000 >= instant.toEpochMilli())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("no scrape of job " + job + " since " + instant + " within " + timeout + " (" + query + " = "
                        + scrapes + "):\n" + process.output());
            }
            Thread.sleep(100);
        }
    }

    /** Evaluates a PromQL expression now: each series of the instant vector (its labels) with its value. */
    public Map<Map<String, String>, Double> query(String promql) throws IOException {
        URI query = uri.resolve("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        Http.Reply reply = Http.get(query);
        assertEquals(200, reply.status(), promql + ": " + reply.body());
        JsonObject data = JsonParser.parseString(reply.body()).getAsJsonObject().getAsJsonObject("data");
        assertEquals("vector", data.get("resultType").getAsString(), promql);
        Map<Map<String, String>, Double> series = new HashMap<>();
        for (JsonElement element : data.getAsJsonArray("result")) {
            JsonObject sample = element.getAsJsonObject();
            Map<String, String> labels = new TreeMap<>();
            sample.getAsJsonObject("metric").entrySet()
                    .forEach(label -> labels.put(label.getKey(), label.getValue().getAsString()));
            series.put(labels, Double.parseDouble(sample.getAsJsonArray("value").get(1).getAsString()));
        }
        return series;
    }

    /** The value of an expression that must evaluate to exactly one series. */
    public double queryValue(String promql) throws IOException {
        Map<Map<String, String>, Double> series = query(promql);
        assertEquals(1, series.size(), "series of " + promql + ": " + series);
        return series.values().iterator().next();
    }

    public String log() {
        return process.output();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String notYet = "no answer";
        while (true) {
            try {
                Http.Reply ready = Http.get(uri.resolve("-/ready"));
                if (ready.status() == 200) {
                    return;
                }
                notYet = ready.status() + " " + ready.body();
            } catch (IOException e) {
                notYet = e.toString();
            }
            if (!process.isAlive()) {
                fail("prometheus exited before it was ready:\n" + process.output());
            }
            if (System.nanoTime() > deadline) {
                fail("prometheus not ready within " + START_TIMEOUT + " (" + notYet + "):\n" + process.output());
            }
            Thread.sleep(50);
        }
    }

    private static String configuration(Duration interval, List<ScrapeJob> jobs) {
        List<String> lines = new ArrayList<>(List.of(
                "# Generated by the ssehub tests.",
                "global:",
                "  scrape_interval: " + interval.toMillis() + "ms",
                "  scrape_timeout: " + interval.toMillis() + "ms",
                "scrape_configs:"));
        for (ScrapeJob job : jobs) {
            URI metrics = job.metrics();
            lines.addAll(List.of(
                    "  - job_name: '" + job.name() + "'",
                    "    metrics_path: '" + metrics.getRawPath() + "'",
                    "    authorization:",
                    "      credentials: '" + job.bearerToken() + "'",
                    "    static_configs:",
                    "      - targets: ['" + metrics.getHost() + ":" + metrics.getPort() + "']"));
        }
        lines.add("");
        return String.join("\n", lines);
    }
}
