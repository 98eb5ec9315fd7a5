package dev.ssehub.server;

import dev.ssehub.hub.Hub;
import dev.ssehub.wire.SseEncoder;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;

/**
 * {@code GET /stream}: the event stream. Without parameters it carries the ticker's topic; {@code ?topic=a&topic=b}
 * subscribes the one connection to several topics. A reconnecting client names its last event with the
 * {@code Last-Event-ID} header or, when it cannot set headers, the {@code lastEventId} query parameter.
 */
public final class StreamServlet extends HttpServlet {

    private transient HubRuntime runtime;

    @Override
    public void init() {
        runtime = HubRuntime.of(getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        runtime.cors().grant(request, response);
        TopicSelection selection = TopicSelection.parse(request.getParameterValues("topic"), runtime.tickerTopic());
        if (!selection.isValid()) {
            Responses.reject(response, HttpServletResponse.SC_BAD_REQUEST, selection.error());
            return;
        }
        String lastEventId = lastEventId(request);

        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-transform");
        response.setHeader("X-Accel-Buffering", "no");

        AsyncContext async = request.startAsync();
        async.setTimeout(0); // a stream lives until the client leaves or the webapp stops
        ServletOutputStream out = response.getOutputStream();
        Settings settings = runtime.settings();
        StreamSubscriber subscriber =
                new StreamSubscriber(async, out, settings.maxQueueBytes(), runtime.writers(), runtime.hub());
        async.addListener(subscriber);
        subscriber.offer(SseEncoder.retry(settings.retryMillis()));
        runtime.hub().subscribe(selection.topics(), lastEventId, subscriber);
        // Last: the container's first onWritePossible sends the headers and what is queued so far.
        out.setWriteListener(subscriber);
    }

    private static String lastEventId(HttpServletRequest request) {
        String header = request.getHeader("Last-Event-ID");
        return header != null ? header : request.getParameter("lastEventId");
    }

    /** The topics one stream asked for, or why they were refused. */
    record TopicSelection(List<String> topics, String error) {

        static final int MAX_TOPICS = 16;

        static TopicSelection parse(String[] requested, String defaultTopic) {
            if (requested == null || requested.length == 0) {
                return new TopicSelection(List.of(defaultTopic), null);
            }
            if (requested.length > MAX_TOPICS) {
                return invalid("at most " + MAX_TOPICS + " topics per stream, got " + requested.length);
            }
            for (String topic : requested) {
                if (!Hub.isValidTopic(topic)) {
                    return invalid("invalid topic name '" + Responses.printable(topic) + "': " + Hub.TOPIC_RULE);
                }
            }
            return new TopicSelection(List.of(requested).stream().distinct().toList(), null);
        }

        boolean isValid() {
            return error == null;
        }

        private static TopicSelection invalid(String error) {
            return new TopicSelection(List.of(), error);
        }
    }
}
