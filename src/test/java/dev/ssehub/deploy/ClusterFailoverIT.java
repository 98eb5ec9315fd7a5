package dev.ssehub.deploy;

import dev.ssehub.deploy.ResumingReader.JavaClient;
import dev.ssehub.deploy.ResumingReader.PlainReader;
import dev.ssehub.hub.EventId;
import dev.ssehub.testkit.ContainerDistribution;
import dev.ssehub.testkit.ContainerDistribution.Release;
import dev.ssehub.testkit.ExternalProcess;
import dev.ssehub.testkit.ExternalTool;
import dev.ssehub.testkit.Nginx;
import dev.ssehub.testkit.PacedPublisher;
import dev.ssehub.testkit.PublishClient;
import dev.ssehub.testkit.ReconnectingStream;
import dev.ssehub.testkit.RedisServer;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Cluster mode as users deploy it: a redis-server, the packaged WAR in an unpacked Tomcat 11 and in a jetty-home 12,
 * each configured only through {@code SSEHUB_*} environment variables, and nginx in front with both as upstreams
 * (the block of "Several nodes behind nginx" in docs/deploy.md, with the test's ports). 200 streams read one topic
 * through nginx, half with ssehub's Java client, half over plain HTTP reconnecting by hand; a publisher posts 50
 * events a second through nginx, retrying a failed publish with its Idempotency-Key; after 150 events one node is
 * killed with SIGKILL. When publishing has ended, every stream must hold exactly the events the publisher was
 * answered, in order: none lost, none twice, no {@code missed} notice; and the shared log in Redis must hold each
 * of them once. Run twice: killing Tomcat, then Jetty.
 */
class ClusterFailoverIT {

    private static final String TOKEN = "cluster-it-token";
    private static final String PREFIX = "cluster-it";
    private static final String TOPIC = "failover";
    private static final int STREAMS_PER_KIND = 100;
    private static final int EVENTS = 500;
    private static final int KILL_AFTER = 150;
    private static final long PUBLISH_INTERVAL_MILLIS = 20; // 50 events a second
    private static final Duration PUBLISH_RETRY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(45);
    private static final String SECTION = "## Several nodes behind nginx";
    private static final Pattern NGINX_BLOCK = Pattern.compile("```nginx\\n(.*?)```", Pattern.DOTALL);
    private static final List<String> DOC_PLACEHOLDERS =
            List.of("server 127.0.0.1:8080 ", "server 127.0.0.1:8081 ", "listen 80;");

    // Everything the test started, closed in reverse order.
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("ClusterFailoverIT cleanup: " + e);
            }
        }
    }

    @ParameterizedTest(name = "kill -9 {0}")
    @ValueSource(strings = {"tomcat", "jetty"})
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyStreamThroughNginxGetsEveryEventOnceInOrderWhenANodeIsKilled(String victimProduct) throws Exception {
        long begun = System.nanoTime();
        // Both are needed; checked first, so a missing one fails (under CI) before anything is started.
        ExternalTool.require("nginx", "nginx");
        ExternalTool.require("redis-server", "redis-server");
        Path target = Path.of(System.getProperty("ssehub.basedir", ".")).toAbsolutePath().resolve("target");
        RedisServer redis = RedisServer.start(target.resolve("redis").resolve(PREFIX), false);
        started.add(redis);
        Map<String, ContainerDistribution> nodes = startNodes(redis.url());
        URI proxied = startNginx(target.resolve("nginx").resolve(PREFIX), nodes);
        long startedNanos = System.nanoTime();

        // Every stream starts after this event, so each must receive every later one, whenever it subscribed.
        String origin = PublishClient.publish(proxied, TOKEN, TOPIC, null, "origin");
        URI stream = proxied.resolve("stream?topic=" + TOPIC);
        List<ResumingReader> readers = openStreams(stream, origin);

        PacedPublisher publisher = new PacedPublisher(proxied, TOKEN, TOPIC, EVENTS,
                Duration.ofMillis(PUBLISH_INTERVAL_MILLIS), PUBLISH_RETRY_TIMEOUT);
        ExecutorService publishing = Executors.newSingleThreadExecutor(named("cluster-it-publisher"));
        started.add(publishing::shutdownNow);
        Future<?> done = publishing.submit(publisher);
        while (publisher.publishedCount() < KILL_AFTER && !done.isDone()) {
            Thread.sleep(5);
        }
        int killedAfter = publisher.publishedCount();
        long killedAtMillis = publisher.elapsedMillis();
        nodes.get(victimProduct).kill();
        done.get(2, TimeUnit.MINUTES);
        List<SseEvent> expected = publisher.published();

        awaitEveryStreamAt(readers, expected.get(expected.size() - 1).id());
        Thread.sleep(500); // anything still on its way (a duplicate) arrives now

        assertIdsIncrease(origin, expected);
        List<String> findings = new ArrayList<>();
        for (ResumingReader reader : readers) {
            String finding = compare(expected, reader);
            if (finding != null) {
                findings.add(finding);
            }
        }
        int javaMoved = countMoved(readers, "java");
        int plainMoved = countMoved(readers, "plain");
        System.out.printf("ClusterFailoverIT, kill -9 %s: %d streams (%d Java client, %d plain HTTP), %d events "
                        + "published at %d/s; killed after event %d, %d ms into publishing; streams that "
                        + "reconnected: %d Java client, %d plain HTTP; reconnects in all: %d; publish retries: %s; "
                        + "nodes and nginx up in %d ms; whole test %d ms%n",
                victimProduct, readers.size(), STREAMS_PER_KIND, STREAMS_PER_KIND, expected.size(),
                1000 / PUBLISH_INTERVAL_MILLIS, killedAfter, killedAtMillis, javaMoved, plainMoved,
                readers.stream().mapToInt(reader -> reader.connections() - 1).sum(), publisher.retries(),
                (startedNanos - begun) / 1_000_000, (System.nanoTime() - begun) / 1_000_000);

        assertEquals(List.of(), findings.subList(0, Math.min(5, findings.size())),
                findings.size() + " of " + readers.size() + " streams differ from what was published");
        // At the source too: a publish cut by the kill and retried is in the shared log once, under the id answered.
        List<String> answered = new ArrayList<>(List.of(origin));
        expected.forEach(event -> answered.add(event.id()));
        assertEquals(answered, idsInTheLog(redis, TOPIC));
        // Round robin put about half of each kind on the killed node: both kinds had to resume.
        assertTrue(javaMoved >= STREAMS_PER_KIND / 4 && plainMoved >= STREAMS_PER_KIND / 4,
                "streams that reconnected: " + javaMoved + " Java client, " + plainMoved + " plain HTTP");
    }

    // Both nodes at once, each on the same Redis, configured the way the README tells users: environment variables.
    private Map<String, ContainerDistribution> startNodes(URI redisUrl) throws Exception {
        Path war = Path.of(System.getProperty("ssehub.war", "target/ssehub.war"));
        assertTrue(Files.isRegularFile(war), "the packaged WAR " + war + " (run by mvn verify, after package)");
        Map<String, String> environment = Map.of(
                "SSEHUB_REDIS_URL", redisUrl.toString(),
                "SSEHUB_REDIS_PREFIX", PREFIX,
                "SSEHUB_PUBLISH_TOKEN", TOKEN);
        List<Release> releases = List.of(
                new Release("tomcat", System.getProperty("ssehub.tomcat11.version", "11.0.14")),
                new Release("jetty", System.getProperty("ssehub.jetty.version", "12.1.8")));
        ExecutorService starting = Executors.newFixedThreadPool(releases.size(), named("cluster-it-starter"));
        try {
            List<Future<ContainerDistribution>> starts = new ArrayList<>();
            for (Release release : releases) {
                starts.add(starting.submit(() -> {
                    ContainerDistribution node = ContainerDistribution.start(release, war, List.of(""), Map.of(),
                            environment);
                    synchronized (started) {
                        started.add(node);
                    }
                    return node;
                }));
            }
            Map<String, ContainerDistribution> nodes = new LinkedHashMap<>();
            ExecutionException failed = null;
            for (int i = 0; i < releases.size(); i++) {
                try {
                    nodes.put(releases.get(i).product(), starts.get(i).get());
                } catch (ExecutionException e) {
                    failed = failed == null ? e : failed; // still waits for the other, so cleanup finds it
                }
            }
            if (failed != null) {
                throw failed;
            }
            return nodes;
        } finally {
            starting.shutdown();
        }
    }

    private URI startNginx(Path directory, Map<String, ContainerDistribution> nodes) throws Exception {
        int port = ExternalProcess.freePort();
        List<ContainerDistribution> upstreams = List.copyOf(nodes.values());
        String block = documentedBlock()
                .replace(DOC_PLACEHOLDERS.get(0), "server 127.0.0.1:" + upstreams.get(0).baseUri("").getPort() + " ")
                .replace(DOC_PLACEHOLDERS.get(1), "server 127.0.0.1:" + upstreams.get(1).baseUri("").getPort() + " ")
                .replace(DOC_PLACEHOLDERS.get(2), "listen 127.0.0.1:" + port + ";");
        started.add(Nginx.start(directory, block, port));
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    private static String documentedBlock() throws IOException {
        Path doc = Path.of(System.getProperty("ssehub.basedir", "."), "docs", "deploy.md");
        String text = Files.readString(doc);
        int section = text.indexOf("\n" + SECTION + "\n");
        assertTrue(section >= 0, "a section '" + SECTION + "' in " + doc);
        Matcher block = NGINX_BLOCK.matcher(text);
        assertTrue(block.find(section), "an ```nginx block under '" + SECTION + "' in " + doc);
        for (String placeholder : DOC_PLACEHOLDERS) {
            assertEquals(1, block.group(1).split(Pattern.quote(placeholder), -1).length - 1,
                    "'" + placeholder + "' once in the nginx block under '" + SECTION + "' of " + doc);
        }
        return block.group(1);
    }

    // The plain readers first, one after the other, so nginx's round robin puts every other one on each node; then
    // the Java clients, which connect on their own threads. Returns once every stream has its 200.
    private List<ResumingReader> openStreams(URI stream, String origin) throws Exception {
        List<ResumingReader> readers = new ArrayList<>();
        List<ReconnectingStream> plain = new ArrayList<>();
        for (int i = 1; i <= STREAMS_PER_KIND; i++) {
            ReconnectingStream reader = ReconnectingStream.open(stream, origin);
            started.add(reader);
            plain.add(reader);
            readers.add(new PlainReader("plain-" + i, reader));
        }
        ScheduledExecutorService polling = Executors.newSingleThreadScheduledExecutor(named("cluster-it-poller"));
        started.add(polling::shutdownNow);
        polling.scheduleWithFixedDelay(() -> plain.forEach(ReconnectingStream::poll), 20, 20, TimeUnit.MILLISECONDS);

        List<JavaClient> java = new ArrayList<>();
        for (int i = 1; i <= STREAMS_PER_KIND; i++) {
            JavaClient client = JavaClient.connect("java-" + i, stream, origin);
            started.add(client);
            java.add(client);
        }
        readers.addAll(java);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (java.stream().anyMatch(client -> client.connections() == 0)) {
            java.stream().filter(client -> client.gaveUp() != null).findFirst()
                    .ifPresent(client -> fail(client.name() + " gave up: " + client.gaveUp()));
            assertTrue(System.nanoTime() < deadline, "Java clients still not connected after 30 s");
            Thread.sleep(20);
        }
        return readers;
    }

    private static void awaitEveryStreamAt(List<ResumingReader> readers, String lastId) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE_TIMEOUT.toNanos();
        while (readers.stream().anyMatch(r -> r.gaveUp() == null && !lastId.equals(lastIdOf(r.events())))) {
            if (System.nanoTime() > deadline) {
                return; // the comparison says which streams fell short, and how
            }
            Thread.sleep(50);
        }
    }

    private static void assertIdsIncrease(String origin, List<SseEvent> published) {
        EventId previous = EventId.parse(origin);
        for (SseEvent event : published) {
            EventId id = EventId.parse(event.id());
            assertTrue(id.epoch() == previous.epoch() && id.sequence() > previous.sequence(),
                    "the publisher was answered " + id + " after " + previous);
            previous = id;
        }
    }

    // The ids of a topic's events in the shared log, in its order; each entry holds its epoch (e) and topic (t).
    private static List<String> idsInTheLog(RedisServer redis, String topic) {
        try (Jedis jedis = redis.connect()) {
            return jedis.xrange("{" + PREFIX + "}:log", "-", "+").stream()
                    .filter(entry -> topic.equals(entry.getFields().get("t")))
                    .map(entry -> entry.getFields().get("e") + "-" + entry.getID().getTime())
                    .toList();
        }
    }

    // Null when the stream holds exactly what was published; else what differs, in one line.
    private static String compare(List<SseEvent> expected, ResumingReader subscriber) {
        List<SseEvent> received = subscriber.events();
        if (subscriber.gaveUp() == null && received.equals(expected)) {
            return null;
        }
        int first = 0;
        while (first < Math.min(expected.size(), received.size()) && expected.get(first).equals(received.get(first))) {
            first++;
        }
        Set<String> seen = new HashSet<>();
        long twice = received.stream().filter(event -> !seen.add(event.id())).count();
        Set<String> receivedIds = new HashSet<>(received.stream().map(SseEvent::id).toList());
        long lost = expected.stream().filter(event -> !receivedIds.contains(event.id())).count();
        return subscriber.name() + " (" + subscriber.connections() + " connections): " + received.size() + " events of "
                + expected.size() + ", " + lost + " lost, " + twice + " twice; first difference at #" + first
                + ": expected " + (first < expected.size() ? expected.get(first) : "nothing") + ", got "
                + (first < received.size() ? received.get(first) : "nothing")
                + "; its connections ended: " + subscriber.drops()
                + (subscriber.gaveUp() == null ? "" : "; gave up: " + subscriber.gaveUp());
    }

    private static int countMoved(List<ResumingReader> readers, String kind) {
        return (int) readers.stream().filter(r -> r.name().startsWith(kind + "-") && r.connections() > 1).count();
    }

    private static String lastIdOf(List<SseEvent> events) {
        return events.isEmpty() ? null : events.get(events.size() - 1).id();
    }

    private static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
