package dev.ssehub.testkit;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An unpacked Tomcat ({@code CATALINA_HOME}, left untouched) run with a {@code CATALINA_BASE} of its own: a copy of
 * its conf/ whose server.xml listens on free ports, and our WAR in webapps/. Started as catalina.sh would start it,
 * with the {@code --add-opens} options its leak detection needs.
 */
final class TomcatDistribution implements ContainerDistribution {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> ADD_OPENS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED");

    private final ExternalProcess process;
    private final Path base;
    private final int httpPort;
    private final int shutdownPort;

    private TomcatDistribution(ExternalProcess process, Path base, int httpPort, int shutdownPort) {
        this.process = process;
        this.base = base;
        this.httpPort = httpPort;
        this.shutdownPort = shutdownPort;
    }

    static TomcatDistribution start(Path home, Path base, Path war, List<String> contextPaths,
            Map<String, String> systemProperties, Map<String, String> environment) throws Exception {
        for (String dir : List.of("conf", "logs", "temp", "work", "webapps")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> files = Files.list(home.resolve("conf"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        int httpPort = ExternalProcess.freePort();
        int shutdownPort = ExternalProcess.freePort();
        listenOn(base.resolve("conf/server.xml"), httpPort, shutdownPort);
        for (String contextPath : contextPaths) {
            Files.copy(war, base.resolve("webapps").resolve(ContainerDistribution.warName(contextPath)));
        }

        List<String> command = new ArrayList<>();
        command.add(ContainerDistribution.javaCommand().toString());
        command.add("-Xmx256m");
        command.addAll(ADD_OPENS);
        command.add("-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager");
        command.add("-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"));
        command.add("-Dcatalina.home=" + home);
        command.add("-Dcatalina.base=" + base);
        command.add("-Djava.io.tmpdir=" + base.resolve("temp"));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"));
        command.add("org.apache.catalina.startup.Bootstrap");
        command.add("start");

        ExternalProcess process = ExternalProcess.start("Tomcat", command, environment, base,
                base.resolve("logs/console.out"));
        try {
            // Logged once every webapp in webapps/ is deployed and the connector accepts.
            process.awaitOutput(Pattern.compile("Server startup in"), START_TIMEOUT);
        } catch (Throwable failed) {
            process.close();
            throw failed;
        }
        return new TomcatDistribution(process, base, httpPort, shutdownPort);
    }

    @Override
    public URI baseUri(String contextPath) {
        return URI.create("http://127.0.0.1:" + httpPort + contextPath + "/");
    }

    @Override
    public void stop() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), shutdownPort)) {
            OutputStream out = socket.getOutputStream();
            out.write("SHUTDOWN".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        assertEquals(0, process.awaitExit(STOP_TIMEOUT), "Tomcat's exit status");
    }

    @Override
    public void kill() throws Exception {
        process.kill(STOP_TIMEOUT);
    }

    @Override
    public String logs() {
        StringBuilder logs = new StringBuilder(process.output());
        try (Stream<Path> files = Files.list(base.resolve("logs"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("catalina.")).sorted().toList()) {
                logs.append("\n--- ").append(file.getFileName()).append('\n');
                logs.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            logs.append("\n(cannot read ").append(base.resolve("logs")).append(": ").append(e).append(')');
        }
        return logs.toString();
    }

    @Override
    public Path directory() {
        return base;
    }

    @Override
    public void close() {
        process.close();
    }

    // The copy of server.xml: the shutdown port and the one HTTP/1.1 connector on free ports, loopback only.
    private static void listenOn(Path serverXml, int httpPort, int shutdownPort) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(serverXml.toFile());
        Element server = document.getDocumentElement();
        server.setAttribute("port", String.valueOf(shutdownPort));
        NodeList connectors = document.getElementsByTagName("Connector");
        int changed = 0;
        for (int i = 0; i < connectors.getLength(); i++) {
            Element connector = (Element) connectors.item(i);
            if (connector.getAttribute("protocol").startsWith("HTTP/1.1")) {
                connector.setAttribute("port", String.valueOf(httpPort));
                connector.setAttribute("address", "127.0.0.1");
                changed++;
            }
        }
        assertEquals(1, changed, "HTTP/1.1 connectors in " + serverXml);
        TransformerFactory.newInstance().newTransformer()
                .transform(new DOMSource(document), new StreamResult(serverXml.toFile()));
    }
}
