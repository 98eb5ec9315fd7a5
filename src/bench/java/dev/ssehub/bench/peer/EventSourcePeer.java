package dev.ssehub.bench.peer;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The peer: Jetty's own {@link EventSourceServlet} used as its Javadoc suggests. Each {@code GET /stream} opens an
 * {@link EventSource} that keeps its emitter in the set of each {@code ?topic=} it names (a chat's rooms);
 * {@code POST /publish} (the same bearer token and form body as ssehub's) loops over the topic's set calling
 * {@code emitter.data(...)}, which writes and flushes with blocking I/O in the publishing request's thread.
 * No ids, no replay, no queue.
 */
public final class EventSourcePeer {

    private EventSourcePeer() {
    }

    public static ServletContextHandler context(String publishToken) {
        Map<String, Set<EventSource.Emitter>> topics = new ConcurrentHashMap<>();
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder stream = new ServletHolder(new StreamServlet(topics));
        stream.setAsyncSupported(true);
        context.addServlet(stream, "/stream");
        context.addServlet(new ServletHolder(new PublishServlet(topics, publishToken)), "/publish");
        return context;
    }

    /**
     * The same servlets as a web application of its own, for a WAR deployed into a Jetty distribution (its web.xml
     * names this listener); the publish token comes from the system property {@code ssehub.publishToken}.
     */
    public static final class WebApp implements ServletContextListener {

        @Override
        public void contextInitialized(ServletContextEvent event) {
            Map<String, Set<EventSource.Emitter>> topics = new ConcurrentHashMap<>();
            ServletContext context = event.getServletContext();
            ServletRegistration.Dynamic stream = context.addServlet("stream", new StreamServlet(topics));
            stream.addMapping("/stream");
            stream.setAsyncSupported(true);
            context.addServlet("publish", new PublishServlet(topics, System.getProperty("ssehub.publishToken")))
                    .addMapping("/publish");
        }
    }

    private static Set<EventSource.Emitter> subscribers(Map<String, Set<EventSource.Emitter>> topics, String topic) {
        return topics.computeIfAbsent(topic == null ? "" : topic, t -> ConcurrentHashMap.newKeySet());
    }

    static final class StreamServlet extends EventSourceServlet {

        private final transient Map<String, Set<EventSource.Emitter>> topics;

        StreamServlet(Map<String, Set<EventSource.Emitter>> topics) {
            this.topics = topics;
        }

        @Override
        protected EventSource newEventSource(HttpServletRequest request) {
            String[] named = request.getParameterValues("topic");
            List<String> wanted = named == null ? List.of("") : List.of(named);
            return new EventSource() {
                private volatile Emitter emitter;

                @Override
                public void onOpen(Emitter emitter) {
                    this.emitter = emitter;
                    wanted.forEach(topic -> subscribers(topics, topic).add(emitter));
                }

                @Override
                public void onClose() {
                    Emitter closed = emitter;
                    if (closed != null) {
                        wanted.forEach(topic -> subscribers(topics, topic).remove(closed));
                    }
                }
            };
        }
    }

    static final class PublishServlet extends HttpServlet {

        private final transient Map<String, Set<EventSource.Emitter>> topics;
        private final String expectedAuthorization;

        PublishServlet(Map<String, Set<EventSource.Emitter>> topics, String publishToken) {
            this.topics = topics;
            this.expectedAuthorization = "Bearer " + publishToken;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!expectedAuthorization.equals(request.getHeader("Authorization"))) {
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String topic = formField(body, "topic");
            String data = formField(body, "data");
            if (topic == null || data == null) {
                response.sendError(HttpServletResponse.SC_BAD_REQUEST);
                return;
            }
            // The broadcast loop of EventSourceServlet's Javadoc: a failed emitter is closed and skipped.
            for (EventSource.Emitter emitter : subscribers(topics, topic)) {
                try {
                    emitter.data(data);
                } catch (IOException gone) {
                    emitter.close();
                }
            }
            response.setContentType("application/json");
            response.getWriter().print("{\"topic\":\"" + topic + "\"}");
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
