package dev.ssehub.bench;

import dev.ssehub.bench.peer.EventSourcePeer;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server side of the benchmark, run as a child JVM so that its heap and CPU are its own. It starts one system
 * on 127.0.0.1 and a free port, prints {@code READY <port>}, then answers its parent through {@link AdminChannel};
 * {@code stop} or the end of the input stops it, and so does SIGTERM (a shutdown hook). Jetty is stopped webapp first: its own stop closes the
 * connectors, and with them every open stream, before it stops the handlers, so the webapp's farewells
 * ({@code retry:} to each stream) would never reach the clients.
 *
 * <p>Arguments: the system ({@link SystemKind#id()}), and for Tomcat a comma-separated list of connector
 * properties ({@code name=value}). The WAR comes from {@code -Dbench.war}.
 */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        SystemKind kind = SystemKind.of(args[0]);
        String connectorSettings = args.length > 1 ? args[1] : "";
        AutoCloseable server;
        int port;
        switch (kind) {
            case SSEHUB_JETTY -> {
                WebAppContext webapp = new WebAppContext(war(), "/");
                Server jetty = jetty(webapp);
                server = () -> {
                    webapp.stop(); // the webapp ends its streams over connections that are still open
                    jetty.stop();
                };
                port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            }
            case JETTY_EVENTSOURCE -> {
                Server jetty = jetty(EventSourcePeer.context(System.getProperty("ssehub.publishToken")));
                server = jetty::stop;
                port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            }
            case SSEHUB_TOMCAT, SSEHUB_TOMCAT_DEFAULT -> {
                Tomcat tomcat = tomcat(connectorSettings);
                server = () -> {
                    tomcat.stop();
                    tomcat.destroy();
                };
                port = tomcat.getConnector().getLocalPort();
            }
            case NIO_FLOOR -> {
                NioFloorServer floor = NioFloorServer.start(System.getProperty("ssehub.publishToken"));
                server = floor;
                port = floor.port();
            }
            default -> throw new IllegalArgumentException(kind + " does not run in a JVM");
        }
        AutoCloseable stop = once(server);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "stop-on-sigterm"));
        System.out.println("READY " + port);
        System.out.flush();
        try {
            AdminChannel.serve();
        } finally {
            try {
                stop.close();
            } finally {
                System.exit(0);
            }
        }
    }

    // The stop command, the end of the input and the shutdown hook may all ask, at once: SIGTERM from the parent
    // (Process.destroy) also closes the child's standard input. Only the first stops; the others wait for it, or
    // the JVM would halt when the hook returned, in the middle of the stop.
    private static AutoCloseable once(AutoCloseable server) {
        AtomicBoolean stopped = new AtomicBoolean();
        return () -> {
            synchronized (stopped) {
                if (!stopped.getAndSet(true)) {
                    server.close();
                }
            }
        };
    }

    private static String war() {
        String war = System.getProperty("bench.war");
        if (war == null || !Files.isRegularFile(Path.of(war))) {
            throw new IllegalStateException("no WAR at -Dbench.war=" + war + ": run mvn package first");
        }
        return war;
    }

    // Jetty as it comes: default thread pool, connector and buffers; only the address is chosen.
    private static Server jetty(org.eclipse.jetty.server.Handler handler) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(0);
        server.start();
        return server;
    }

    private static Tomcat tomcat(String connectorSettings) throws Exception {
        Path base = Files.createTempDirectory("ssehub-bench-tomcat");
        Files.createDirectories(base.resolve("webapps"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        for (String setting : connectorSettings.split(",")) {
            if (!setting.isBlank()) {
                String[] nameValue = setting.split("=", 2);
                if (!connector.setProperty(nameValue[0].trim(), nameValue[1].trim())) {
                    throw new IllegalArgumentException("Tomcat connector has no property " + nameValue[0]);
                }
            }
        }
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);
        // The embedded distribution has no JSP engine, so Tomcat's default web.xml is left out.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("", war());
        Wrapper defaultServlet = context.createWrapper();
        defaultServlet.setName("default");
        defaultServlet.setServletClass(DefaultServlet.class.getName());
        context.addChild(defaultServlet);
        context.addServletMappingDecoded("/", "default");
        Tomcat.addDefaultMimeTypeMappings(context);
        ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
        tomcat.start();
        if (context.getState() != LifecycleState.STARTED) {
            throw new IllegalStateException("the ssehub WAR failed to start in Tomcat");
        }
        return tomcat;
    }
}
