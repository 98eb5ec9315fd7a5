package dev.ssehub.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A servlet container as users install it: a distribution the build unpacked into {@code target/dist}, run as a
 * process of its own with the packaged WAR deployed, stopped the way an administrator stops it.
 */
public interface ContainerDistribution extends AutoCloseable {

    /** A distribution by product ("tomcat" or "jetty") and version. */
    record Release(String product, String version) {

        @Override
        public String toString() {
            return product + " " + version;
        }
    }

    /**
     * Starts a release on a free loopback port with {@code war} deployed at each of {@code contextPaths} ("" is the
     * root) and the given system properties, and waits until it has deployed them all.
     */
    static ContainerDistribution start(Release release, Path war, List<String> contextPaths,
            Map<String, String> systemProperties) throws Exception {
        return start(release, war, contextPaths, systemProperties, Map.of());
    }

    /**
     * As {@link #start(Release, Path, List, Map)}, the process also getting {@code environment}, as an
     * administrator's {@code export SSEHUB_...} (in Tomcat's bin/setenv.sh, or before starting Jetty) gives it.
     */
    static ContainerDistribution start(Release release, Path war, List<String> contextPaths,
            Map<String, String> systemProperties, Map<String, String> environment) throws Exception {
        Path dist = Path.of(System.getProperty("ssehub.dist", "target/dist")).toAbsolutePath();
        Path base = dist.resolveSibling("it-servers").resolve(release.product() + "-" + release.version());
        deleteRecursively(base);
        Files.createDirectories(base);
        return switch (release.product()) {
            case "tomcat" -> TomcatDistribution.start(
                    dist.resolve("apache-tomcat-" + release.version()), base, war, contextPaths, systemProperties,
                    environment);
            case "jetty" -> JettyDistribution.start(
                    dist.resolve("jetty-home-" + release.version()), base, war, contextPaths, systemProperties,
                    environment);
            default -> throw new IllegalArgumentException("unknown product " + release.product());
        };
    }

    /** The root URI of the webapp deployed at {@code contextPath}, ending with a slash. */
    URI baseUri(String contextPath);

    /** Stops the container the way its documentation says (shutdown port, SIGTERM) and waits for it to exit. */
    void stop() throws Exception;

    /**
     * Kills the container's JVM with SIGKILL ({@code kill -9}), as a crash would: no webapp is stopped, no stream
     * gets a farewell, the kernel closes every connection. Both distributions run the server in the JVM the test
     * started (Tomcat's Bootstrap; Jetty's start.jar without forking), which is the process killed.
     */
    void kill() throws Exception;

    /** Everything the container logged: its console output and its log files. */
    String logs();

    /** Where this run keeps its configuration, its copy of the WAR and its logs (under target/it-servers). */
    Path directory();

    /** Kills the process if it still runs. */
    @Override
    void close();

    /** The name of the WAR file that a container deploys at a context path: ROOT.war for the root, name.war else. */
    static String warName(String contextPath) {
        if (contextPath.isEmpty()) {
            return "ROOT.war";
        }
        if (!contextPath.matches("/[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("one path segment, like /ssehub, not " + contextPath);
        }
        return contextPath.substring(1) + ".war";
    }

    static Path javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
