package dev.ssehub.client;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.Hub;
import dev.ssehub.server.RunningHub;
import dev.ssehub.testkit.ServletContainer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged artifacts, after {@code mvn package}: {@code java -jar target/ssehub-client.jar} with its relocated
 * libraries, the plain {@code target/ssehub-client-lib.jar}, and the WAR.
 */
class ClientJarIT {

    private static final Path JAR = Path.of(System.getProperty("ssehub.clientJar", "target/ssehub-client.jar"));
    private static final Path LIB_JAR =
            Path.of(System.getProperty("ssehub.clientLibJar", "target/ssehub-client-lib.jar"));
    private static final Path WAR = Path.of(System.getProperty("ssehub.war", "target/ssehub-0.1.0-SNAPSHOT.war"));

    record Result(int exitCode, String out, String err) {
    }

    @Test
    void javaDashJarPrintsTheEventsOfTheRunningWebapp() throws Exception {
        try (ServletContainer container = ServletContainer.start("jetty", Map.of("ssehub.tickInterval", "0"))) {
            Hub hub = RunningHub.of(container);
            EventId before = hub.publish("jar", null, "before");
            hub.publish("jar", null, "one");
            hub.publish("jar", "named", "naïve ✓");

            Result result = java("--topic", "jar", "--last-event-id", before.toString(), "--count", "2",
                    container.uri("stream").toString());

            assertEquals(new Result(0, "Received event: one\nReceived event: naïve ✓\n", ""), result);
        }
    }

    @Test
    void javaDashJarExitsWith3WhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/stream";

        assertEquals(new Result(3, "", "ssehub-client: cannot connect to " + url + ": connection refused\n"), java(url));
    }

    @Test
    void javaDashJarPublishesAndPrintsTheId() throws Exception {
        try (ServletContainer container = ServletContainer.start("jetty",
                Map.of("ssehub.tickInterval", "0", "ssehub.publishToken", "jar-token"))) {
            Hub hub = RunningHub.of(container);
            EventId before = hub.publish("jar", null, "before");

            Result result = java("publish", "--topic", "jar", "--data", "hello", "--token", "jar-token",
                    container.uri("publish").toString());

            assertEquals(new Result(0, new EventId(before.epoch(), before.sequence() + 1) + "\n", ""), result);
        }
    }

    @Test
    void javaDashJarSignsATokenWithTheRelocatedJwtLibrary() throws Exception {
        Path secret = Files.createTempFile("ssehub-secret", ".txt");
        try {
            Files.writeString(secret, "a-secret-of-at-least-thirty-two-bytes!");

            Result result = java("token", "--secret-file", secret.toString(), "--subscribe", "news");

            assertEquals(0, result.exitCode(), result.err());
            assertTrue(result.out().matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\n"), result.out());
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void theRunnableJarHoldsItsLibrariesOnlyUnderDevSsehubClientShaded() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals("dev.ssehub.client.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            List<String> names = Collections.list(jar.entries()).stream().map(ZipEntry::getName).toList();
            List<String> strays = names.stream()
                    .filter(name -> name.endsWith(".class") || name.startsWith("META-INF/versions/")
                            || name.startsWith("META-INF/services/"))
                    .filter(name -> !(name.startsWith("dev/ssehub/client/") || name.startsWith("dev/ssehub/wire/")))
                    .toList();
            assertEquals(List.of(), strays, "classes outside the client's packages");
            for (String relocated : List.of("org/apache/hc/client5/http/impl/classic/HttpClients.class",
                    "org/apache/hc/core5/http/HttpEntity.class", "org/slf4j/LoggerFactory.class",
                    "org/slf4j/impl/StaticLoggerBinder.class", "com/nimbusds/jwt/SignedJWT.class")) {
                assertTrue(names.contains("dev/ssehub/client/shaded/" + relocated), relocated);
            }
            assertTrue(names.contains("dev/ssehub/wire/SseParser.class"));
            assertTrue(names.stream().noneMatch(name -> name.startsWith("dev/ssehub/server/")));
        }
    }

    @Test
    void theLibraryJarHoldsTheClientAndTheWireFormatAndNothingElse() throws IOException {
        try (JarFile jar = new JarFile(LIB_JAR.toFile())) {
            List<String> strays = Collections.list(jar.entries()).stream()
                    .map(ZipEntry::getName)
                    .filter(name -> !name.endsWith("/") && !name.equals("META-INF/MANIFEST.MF"))
                    .filter(name -> !(name.startsWith("dev/ssehub/client/") || name.startsWith("dev/ssehub/wire/"))
                            || name.startsWith("dev/ssehub/client/shaded/"))
                    .toList();
            assertEquals(List.of(), strays);
            assertTrue(jar.getEntry("dev/ssehub/client/Publisher.class") != null);
            assertTrue(jar.getEntry("dev/ssehub/wire/SseParser.class") != null);
        }
    }

    @Test
    void theWarHoldsNeitherTheClientNorItsLibraries() throws IOException {
        try (ZipFile war = new ZipFile(WAR.toFile())) {
            List<String> names = Collections.list(war.entries()).stream().map(ZipEntry::getName).toList();
            List<String> strays = names.stream()
                    .filter(name -> name.startsWith("WEB-INF/classes/dev/ssehub/client/")
                            || name.matches("WEB-INF/lib/(httpclient5|httpcore5).*"))
                    .toList();
            assertEquals(List.of(), strays);
            // The Redis client logs through SLF4J, sent to java.util.logging: the webapp needs both.
            assertTrue(names.stream().anyMatch(name -> name.matches("WEB-INF/lib/slf4j-jdk14-.*\\.jar")),
                    "the SLF4J binding");
            assertTrue(names.contains("WEB-INF/classes/dev/ssehub/server/StreamServlet.class"));
        }
    }

    private static Result java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("ssehub-client", ".out");
        Path err = Files.createTempFile("ssehub-client", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("java -jar did not exit within 30 s: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
