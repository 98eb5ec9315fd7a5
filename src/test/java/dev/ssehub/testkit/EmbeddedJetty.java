package dev.ssehub.testkit;

import jakarta.servlet.ServletContext;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Embedded Jetty 12 (ee10) serving the webapp directory with the test classpath as its classes. */
final class EmbeddedJetty implements ServletContainer {

    private final Server server;
    private final ServerConnector connector;
    private final WebAppContext webapp;
    private int port;

    private EmbeddedJetty(Server server, ServerConnector connector, WebAppContext webapp) {
        this.server = server;
        this.connector = connector;
        this.webapp = webapp;
    }

    static EmbeddedJetty start(Path webappDir, String contextPath, Map<String, String> params) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext(webappDir.toString(), contextPath.isEmpty() ? "/" : contextPath);
        webapp.setParentLoaderPriority(true); // our classes come from the test classpath, as one copy
        params.forEach(webapp::setInitParameter);
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        server.setStopTimeout(0); // no graceful wait: open streams would hold it to the end
        server.start();
        EmbeddedJetty jetty = new EmbeddedJetty(server, connector, webapp);
        jetty.port = connector.getLocalPort();
        return jetty;
    }

    @Override
    public URI baseUri() {
        String path = webapp.getContextPath().equals("/") ? "/" : webapp.getContextPath() + "/";
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public ServletContext servletContext() {
        return webapp.getServletContext();
    }

    @Override
    public void stopWebapp() throws Exception {
        webapp.stop();
    }

    @Override
    public void stopConnector() throws Exception {
        connector.stop();
    }

    @Override
    public void startConnector() throws Exception {
        connector.setPort(port);
        // While nothing listened, the port was free for the kernel to hand out as the local port of an outgoing
        // socket (a reconnecting client's, even a self-connect to it); such a socket soon closes, so try again.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                connector.start();
                return;
            } catch (IOException e) {
                if (!(e.getCause() instanceof BindException) || System.nanoTime() > deadline) {
                    throw e;
                }
                connector.stop();
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
