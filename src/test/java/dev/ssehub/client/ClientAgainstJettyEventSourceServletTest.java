package dev.ssehub.client;

import dev.ssehub.wire.SseEvent;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlets.EventSource;
import org.eclipse.jetty.ee10.servlets.EventSourceServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Interop: the client reads Jetty 12's own {@code EventSourceServlet}, which ends its lines with CRLF. */
class ClientAgainstJettyEventSourceServletTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Server server;
    private URI uri;

    /** Emits four calls' worth of events on the first connection and ends it; refuses (503) every later one. */
    public static final class FewEventsServlet extends EventSourceServlet {

        private final AtomicInteger connections = new AtomicInteger();

        @Override
        protected EventSource newEventSource(HttpServletRequest request) {
            if (connections.incrementAndGet() > 1) {
                return null; // EventSourceServlet answers 503
            }
            return new EventSource() {
                @Override
                public void onOpen(Emitter emitter) throws IOException {
                    emitter.event("greeting", "hello");
                    emitter.data("line 1\nline 2");
                    emitter.comment("only a comment");
                    emitter.data("naïve ✓");
                    emitter.close();
                }

                @Override
                public void onClose() {
                }
            };
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new FewEventsServlet()), "/events");
        server.setHandler(context);
        server.start();
        uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/events");
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        assertEquals(List.of(), ClientThreads.alive(), "client threads left behind");
    }

    @Test
    void theClientReadsEveryEventOfEventSourceServletThenStopsAtIts503() throws Exception {
        ClientRecorder recorder = new ClientRecorder();
        try (EventSourceClient client = EventSourceClient.builder(uri)
                .reconnectTime(Duration.ofMillis(20)).listener(recorder).connect()) {
            recorder.awaitClosed(TIMEOUT);
        }

        assertEquals(List.of(
                new SseEvent(null, "greeting", "hello", null, null),
                new SseEvent(null, null, "line 1\nline 2", null, null),
                new SseEvent(null, null, "naïve ✓", null, null)), recorder.events());
        assertEquals(List.of("open", "event", "event", "event", "error EOFException retry",
                "error HttpStatusException final", "closed"), recorder.timeline());
        assertEquals(503, ((HttpStatusException) recorder.signals().get(5).error()).status());
    }
}
