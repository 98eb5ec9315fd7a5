package dev.ssehub.bench;

import dev.ssehub.bench.peer.EventSourcePeer;
import dev.ssehub.testkit.ContainerDistribution;
import dev.ssehub.testkit.ExternalProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A WAR in a container distribution as users install it: Tomcat 11.0.14 or jetty-home 12.1.8, unpacked by the build
 * into {@code target/dist}, set up only as docs/deploy.md says (Tomcat: the WAR as webapps/ROOT.war and the
 * recommended connector attributes in server.xml; Jetty: a jetty.base with the {@code http} and {@code ee10-deploy}
 * modules, for the peer also {@code ee10-servlets}, and the WAR as webapps/ROOT.war), started with the distribution's own launcher (catalina.sh run, java -jar
 * start.jar). The benchmark's {@link AdminAgent} rides along as a Java agent, which tells when the webapp answers
 * and reads the heap after GC.
 */
final class Distribution {

    static final String TOMCAT = "apache-tomcat-11.0.14";
    static final String JETTY = "jetty-home-12.1.8";

    /** A command to start, with its working directory and environment. */
    record Launch(List<String> command, Path directory, Map<String, String> environment) {
    }

    private final Path dist;
    private final Path servers;

    Distribution(Path dist, Path servers) {
        this.dist = dist.toAbsolutePath();
        this.servers = servers.toAbsolutePath();
    }

    /**
     * Sets up a fresh base for {@code kind} under {@code name}, the JVM getting {@code jvmOptions}; the Tomcat
     * connector getting {@code tomcatConnector} ({@code name=value,...}).
     */
    Launch prepare(SystemKind kind, String name, Path java, Path war, List<String> jvmOptions, String tomcatConnector)
            throws IOException, InterruptedException {
        Path base = servers.resolve(name);
        ContainerDistribution.deleteRecursively(base);
        Files.createDirectories(base);
        int port = ExternalProcess.freePort();
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-javaagent:" + agentJar() + "=" + port + ",/publish");
        return switch (kind) {
            case SSEHUB_TOMCAT_HOME -> tomcat(base, port, java, war, options, tomcatConnector);
            case SSEHUB_JETTY_HOME -> jetty(base, port, java, war, "http,ee10-deploy", options);
            // Jetty's utility servlets need jetty-util, which webapps cannot see: its ee10-servlets module puts
            // them on the server's classpath, as Jetty's documentation says to use them.
            case JETTY_EVENTSOURCE_HOME -> jetty(base, port, java, peerWar(), "http,ee10-deploy,ee10-servlets",
                    options);
            default -> throw new IllegalArgumentException(kind + " is not a distribution");
        };
    }

    // catalina.sh run execs the JVM, so the process started is Tomcat's, with catalina.sh's own options.
    private Launch tomcat(Path base, int port, Path java, Path war, List<String> options, String connector)
            throws IOException {
        Path home = dist.resolve(TOMCAT);
        requireUnpacked(home);
        for (String dir : List.of("conf", "logs", "temp", "work", "webapps")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> files = Files.list(home.resolve("conf"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        Path serverXml = base.resolve("conf/server.xml");
        Files.writeString(serverXml, connectorAttributes(Files.readString(serverXml), port, ExternalProcess.freePort(), connector));
        Files.copy(war, base.resolve("webapps/ROOT.war"));
        // sh: the zip does not keep the script's execute bit
        return new Launch(List.of("/bin/sh", home.resolve("bin/catalina.sh").toString(), "run"), base, Map.of(
                "CATALINA_HOME", home.toString(), "CATALINA_BASE", base.toString(),
                "JAVA_HOME", java.getParent().getParent().toString(), "CATALINA_OPTS", String.join(" ", options)));
    }

    // The HTTP/1.1 connector of the stock server.xml on our port, loopback only, with the attributes given; the
    // shutdown port moved too, so two servers never meet.
    static String connectorAttributes(String serverXml, int port, int shutdownPort, String attributes) {
        StringBuilder added = new StringBuilder(" address=\"127.0.0.1\"");
        for (String setting : attributes.split(",")) {
            if (!setting.isBlank()) {
                String[] nameValue = setting.split("=", 2);
                added.append(' ').append(nameValue[0].trim()).append("=\"").append(nameValue[1].trim()).append('"');
            }
        }
        Matcher connector = Pattern.compile("<Connector port=\"8080\" protocol=\"HTTP/1.1\"").matcher(serverXml);
        if (!connector.find()) {
            throw new IllegalStateException("no HTTP/1.1 connector on 8080 in the stock server.xml");
        }
        return serverXml.substring(0, connector.start())
                + "<Connector port=\"" + port + "\" protocol=\"HTTP/1.1\"" + added
                + serverXml.substring(connector.end())
                .replaceFirst("<Server port=\"8005\"", "<Server port=\"" + shutdownPort + "\"");
    }

    private Launch jetty(Path base, int port, Path java, Path war, String modules, List<String> options)
            throws IOException, InterruptedException {
        Path home = dist.resolve(JETTY);
        requireUnpacked(home);
        String startJar = home.resolve("start.jar").toString();
        Process addModules = new ProcessBuilder(java.toString(), "-jar", startJar, "--add-modules=" + modules)
                .directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(base.resolve("add-modules.log").toFile()).start();
        if (addModules.waitFor() != 0) {
            throw new IOException("start.jar --add-modules failed: see " + base.resolve("add-modules.log"));
        }
        Files.createDirectories(base.resolve("webapps"));
        Files.copy(war, base.resolve("webapps/ROOT.war"));
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(options);
        command.addAll(List.of("-jar", startJar, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
        return new Launch(command, base, Map.of());
    }

    private static void requireUnpacked(Path home) throws IOException {
        if (!Files.isDirectory(home)) {
            throw new IOException(home + " is missing: mvn -Pbench verify unpacks it (pre-integration-test)");
        }
    }

    // The agent: AdminAgent and AdminChannel in a jar whose manifest names the premain class.
    private Path agentJar() throws IOException {
        Path jar = servers.resolve("bench-admin-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), AdminAgent.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Class<?> type : List.of(AdminAgent.class, AdminChannel.class)) {
                String entry = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new ZipEntry(entry));
                copyResource("/" + entry, out);
            }
        }
        return jar;
    }

    // The peer as a WAR: its classes and a web.xml naming its listener.
    private Path peerWar() throws IOException {
        Path war = servers.resolve("eventsource-peer.war");
        Path classes = codeSource(EventSourcePeer.class);
        Path peerPackage = classes.resolve(EventSourcePeer.class.getPackageName().replace('.', '/'));
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(war));
             Stream<Path> files = Files.list(peerPackage)) {
            out.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            out.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\" metadata-complete=\"true\">\n"
                    + "  <listener><listener-class>" + EventSourcePeer.WebApp.class.getName()
                    + "</listener-class></listener>\n</web-app>\n").getBytes(StandardCharsets.UTF_8));
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                out.putNextEntry(new ZipEntry("WEB-INF/classes/" + classes.relativize(file).toString()));
                Files.copy(file, out);
            }
        }
        return war;
    }

    private static Path codeSource(Class<?> type) throws IOException {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static void copyResource(String name, OutputStream out) throws IOException {
        try (InputStream in = Distribution.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the classpath");
            }
            in.transferTo(out);
        }
    }
}
