package dev.ssehub.testkit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An unpacked jetty-home (left untouched) run with a jetty.base of its own, made by {@code start.jar --add-modules}
 * with the {@code http} and {@code ee10-deploy} modules, and our WAR in webapps/. Started with
 * {@code java -jar start.jar}, stopped with SIGTERM.
 */
final class JettyDistribution implements ContainerDistribution {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    // 128 + SIGTERM: the JVM ran its shutdown hooks, Jetty's among them, and exited.
    private static final int EXIT_ON_SIGTERM = 143;

    private final ExternalProcess process;
    private final Path base;
    private final int httpPort;

    private JettyDistribution(ExternalProcess process, Path base, int httpPort) {
        this.process = process;
        this.base = base;
        this.httpPort = httpPort;
    }

    static JettyDistribution start(Path home, Path base, Path war, List<String> contextPaths,
            Map<String, String> systemProperties, Map<String, String> environment) throws Exception {
        String startJar = home.resolve("start.jar").toString();
        String java = ContainerDistribution.javaCommand().toString();
        ExternalProcess.run("Jetty's start.jar --add-modules",
                List.of(java, "-jar", startJar, "jetty.home=" + home, "jetty.base=" + base,
                        "--add-modules=http,ee10-deploy"),
                base, base.resolve("add-modules.out"), Duration.ofSeconds(30));
        Files.createDirectories(base.resolve("work")); // unpacked WARs go here instead of /tmp
        for (String contextPath : contextPaths) {
            Files.copy(war, base.resolve("webapps").resolve(ContainerDistribution.warName(contextPath)));
        }

        int httpPort = ExternalProcess.freePort();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xmx256m");
        command.add("-Djava.io.tmpdir=" + base.resolve("work"));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", startJar, "jetty.home=" + home, "jetty.base=" + base,
                "jetty.http.host=127.0.0.1", "jetty.http.port=" + httpPort));

        ExternalProcess process = ExternalProcess.start("Jetty", command, environment, base,
                base.resolve("console.out"));
        try {
            // Logged once the deployment scanner has deployed webapps/ and the connector accepts.
            process.awaitOutput(Pattern.compile("Started oejs\\.Server@"), START_TIMEOUT);
        } catch (Throwable failed) {
            process.close();
            throw failed;
        }
        return new JettyDistribution(process, base, httpPort);
    }

    @Override
    public URI baseUri(String contextPath) {
        return URI.create("http://127.0.0.1:" + httpPort + contextPath + "/");
    }

    @Override
    public void stop() throws Exception {
        int status = process.terminate(STOP_TIMEOUT);
        assertTrue(status == 0 || status == EXIT_ON_SIGTERM, "Jetty's exit status " + status);
    }

    @Override
    public void kill() throws Exception {
        process.kill(STOP_TIMEOUT);
    }

    @Override
    public String logs() {
        return process.output();
    }

    @Override
    public Path directory() {
        return base;
    }

    @Override
    public void close() {
        process.close();
    }
}
