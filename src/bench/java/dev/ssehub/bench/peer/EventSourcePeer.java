package dev.ssehub.bench.peer;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlets.EventSource;
import org.eclipse.jetty.ee10.servlets.EventSourceServlet;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The peer: Jetty's own {@link EventSourceServlet} used as its Javadoc suggests. Each {@code GET /stream} opens an
 * {@link EventSource} that keeps its emitter in a set; {@code POST /publish} (the same bearer token and form body
 * as ssehub's) loops over the set calling {@code emitter.data(...)}, which writes and flushes with blocking I/O
 * in the publishing request's thread. It has no topics, ids or replay: every stream gets every event.
 */
public final class EventSourcePeer {

    private EventSourcePeer() {
    }

    public static ServletContextHandler context(String publishToken) {
        Set<EventSource.Emitter> emitters = ConcurrentHashMap.newKeySet();
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder stream = new ServletHolder(new StreamServlet(emitters));
        stream.setAsyncSupported(true);
        context.addServlet(stream, "/stream");
        context.addServlet(new ServletHolder(new PublishServlet(emitters, publishToken)), "/publish");
        return context;
    }

    static final class StreamServlet extends EventSourceServlet {

        private final transient Set<EventSource.Emitter> emitters;

        StreamServlet(Set<EventSource.Emitter> emitters) {
            this.emitters = emitters;
        }

        @Override
        protected EventSource newEventSource(HttpServletRequest request) {
            return new EventSource() {
                private volatile Emitter emitter;

                @Override
                public void onOpen(Emitter emitter) {
                    this.emitter = emitter;
                    emitters.add(emitter);
                }

                @Override
                public void onClose() {
                    Emitter closed = emitter;
                    if (closed != null) {
                        emitters.remove(closed);
                    }
                }
            };
        }
    }

    static final class PublishServlet extends HttpServlet {

        private final transient Set<EventSource.Emitter> emitters;
        private final String expectedAuthorization;

        PublishServlet(Set<EventSource.Emitter> emitters, String publishToken) {
            this.emitters = emitters;
            this.expectedAuthorization = "Bearer " + publishToken;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!expectedAuthorization.equals(request.getHeader("Authorization"))) {
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String data = formField(body, "data");
            if (data == null) {
                response.sendError(HttpServletResponse.SC_BAD_REQUEST);
                return;
            }
            // The broadcast loop of EventSourceServlet's Javadoc: a failed emitter is closed and skipped.
            for (EventSource.Emitter emitter : emitters) {
                try {
                    emitter.data(data);
                } catch (IOException gone) {
                    emitter.close();
                }
            }
            response.setContentType("application/json");
            response.getWriter().print("{\"topic\":\"" + formField(body, "topic") + "\"}");
        }

        private static String formField(String body, String name) {
            for (String pair : body.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).equals(name)) {
                    return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }
}
