package dev.ssehub.testkit;

import jakarta.servlet.ServletContext;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** A real servlet container running the ssehub webapp (webapp/ and target/classes) on a free port. */
public interface ServletContainer extends AutoCloseable {

    /** A context-param the test kit reads itself: the largest request header block the connector accepts, in bytes. */
    String REQUEST_HEADER_SIZE = "testkit.requestHeaderSize";

    /**
     * Starts {@code kind} ("jetty", "tomcat", or "jetty-h2c": Jetty whose connector also speaks cleartext HTTP/2)
     * with the given context-params at context path "/".
     */
    static ServletContainer start(String kind, Map<String, String> contextParams) throws Exception {
        return start(kind, contextParams, "");
    }

    static ServletContainer start(String kind, Map<String, String> contextParams, String contextPath)
            throws Exception {
        return start(kind, contextParams, contextPath, 0);
    }

    /**
     * Like {@link #start(String, Map)}, with at most {@code maxThreads} threads in the container's pool (0: its
     * default), so that a test can find out whether requests hold them.
     */
    static ServletContainer startWithThreads(String kind, Map<String, String> contextParams, int maxThreads)
            throws Exception {
        return start(kind, contextParams, "", maxThreads);
    }

    private static ServletContainer start(String kind, Map<String, String> contextParams, String contextPath,
            int maxThreads) throws Exception {
        return switch (kind) {
            case "jetty" -> EmbeddedJetty.start(webappDirectory(), contextPath, contextParams, false, maxThreads);
            case "jetty-h2c" -> EmbeddedJetty.start(webappDirectory(), contextPath, contextParams, true, maxThreads);
            case "tomcat" -> EmbeddedTomcat.start(webappDirectory(), contextPath, contextParams, maxThreads);
            default -> throw new IllegalArgumentException("unknown container " + kind);
        };
    }

    /** The webapp's root URI, ending with a slash. */
    URI baseUri();

    default URI uri(String pathAndQuery) {
        return baseUri().resolve(pathAndQuery);
    }

    ServletContext servletContext();

    /** Undeploys the webapp but keeps the server running. */
    void stopWebapp() throws Exception;

    /** Closes the listening socket and every connection, keeping the webapp (and its hub) running. */
    void stopConnector() throws Exception;

    /** Listens again on the same port after {@link #stopConnector}. */
    void startConnector() throws Exception;

    /** How many TCP connections the connector has accepted since it started (the Jetty kinds count them). */
    default long connectionsAccepted() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not count connections");
    }

    @Override
    void close() throws Exception;

    private static Path webappDirectory() {
        return Path.of(System.getProperty("ssehub.webapp", "webapp")).toAbsolutePath();
    }
}
