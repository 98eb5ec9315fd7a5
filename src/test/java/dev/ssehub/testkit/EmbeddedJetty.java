package dev.ssehub.testkit;

import jakarta.servlet.ServletContext;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Embedded Jetty 12 (ee10) serving the webapp directory with the test classpath as its classes. Its connector speaks
 * HTTP/1.1 and, when asked, also cleartext HTTP/2 (h2c, by prior knowledge or by upgrade), and counts the TCP
 * connections it accepts.
 */
final class EmbeddedJetty implements ServletContainer {

    private final Server server;
    private final ServerConnector connector;
    private final WebAppContext webapp;
    private final AtomicLong accepted;
    private int port;

    private EmbeddedJetty(Server server, ServerConnector connector, WebAppContext webapp, AtomicLong accepted) {
        this.server = server;
        this.connector = connector;
        this.webapp = webapp;
        this.accepted = accepted;
    }

    /** {@code maxThreads} 0 keeps Jetty's default pool; one acceptor and one selector take two of the threads. */
    static EmbeddedJetty start(Path webappDir, String contextPath, Map<String, String> params, boolean h2c,
            int maxThreads) throws Exception {
        Server server = maxThreads > 0 ? new Server(new QueuedThreadPool(maxThreads, Math.min(2, maxThreads)))
                : new Server();
        HttpConfiguration http = new HttpConfiguration();
        if (params.containsKey(REQUEST_HEADER_SIZE)) {
            http.setRequestHeaderSize(Integer.parseInt(params.get(REQUEST_HEADER_SIZE)));
        }
        AtomicLong accepted = new AtomicLong();
        ServerConnector connector = h2c
                ? new CountingConnector(server, accepted,
                        new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http))
                : new CountingConnector(server, accepted, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext(webappDir.toString(), contextPath.isEmpty() ? "/" : contextPath);
        webapp.setParentLoaderPriority(true); // our classes come from the test classpath, as one copy
        params.forEach(webapp::setInitParameter);
        if (params.containsKey(SlowToStopServlet.PARAM)) {
            ServletHolder slow = new ServletHolder("slow-to-stop", SlowToStopServlet.class);
            slow.setInitOrder(1); // destroy() runs only for a servlet that was loaded
            webapp.getServletHandler().addServlet(slow);
        }
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        server.setStopTimeout(0); // no graceful wait: open streams would hold it to the end
        server.start();
        EmbeddedJetty jetty = new EmbeddedJetty(server, connector, webapp, accepted);
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
    public long connectionsAccepted() {
        return accepted.get();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    // One end point per accepted TCP connection, whatever protocol it then speaks (an h2c upgrade keeps it).
    private static final class CountingConnector extends ServerConnector {

        private final AtomicLong accepted;

        CountingConnector(Server server, AtomicLong accepted, ConnectionFactory... factories) {
            super(server, factories);
            this.accepted = accepted;
        }

        @Override
        protected void onEndPointOpened(EndPoint endPoint) {
            super.onEndPointOpened(endPoint);
            accepted.incrementAndGet();
        }
    }
}
