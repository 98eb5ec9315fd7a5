package dev.ssehub.server;

import dev.ssehub.hub.Hub;
import dev.ssehub.wire.SseEncoder;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /stream}: the event stream. Without parameters it carries the ticker's topic; {@code ?topic=a&topic=b}
 * subscribes the one connection to several topics. A reconnecting client names its last event with the
 * {@code Last-Event-ID} header or, when it cannot set headers, the {@code lastEventId} query parameter. Private
 * topics need a token that grants them ({@link TopicAccess}), checked before the stream takes a place.
 */
public final class StreamServlet extends HttpServlet {

    private transient HubRuntime runtime;

    @Override
    public void init() {
        runtime = HubRuntime.of(getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        TopicSelection selection = checkedSelection(request, response);
        if (selection == null) {
            return;
        }
        if (!runtime.admission().tryAdmit()) {
            turnAway(request, response);
            return;
        }
        StreamSubscriber subscriber;
        try {
            subscriber = startStream(request, response);
        } catch (IOException | RuntimeException e) {
            runtime.admission().release(); // no subscriber exists to give the place back when it closes
            throw e;
        }
        if (selection.readableUntil() != null) { // the token's expiry ends the stream; the client resumes with a new one
            subscriber.endAt(nanoTimeAt(selection.readableUntil()), CloseReason.EXPIRED_AUTH);
        }
        Settings settings = runtime.settings();
        subscriber.offer(SseEncoder.retry(settings.retryMillis()));
        String lastEventId = lastEventId(request);
        if (lastEventId == null) {
            runtime.hub().subscribe(selection.topics(), null, subscriber, selection.withTopic());
        }
        // After a live subscription: the container's first onWritePossible sends the headers and what is queued.
        response.getOutputStream().setWriteListener(subscriber);
        if (lastEventId == null) {
            return;
        }
        // A replay is work proportional to what the client missed: off the container's thread, in a bounded queue.
        boolean queued = runtime.replayer().submit(() ->
                runtime.hub().subscribe(selection.topics(), lastEventId, subscriber, selection.withTopic()));
        if (!queued) {
            subscriber.end(CloseReason.OVERLOAD, SseEncoder.retry(runtime.admission().jitteredRetryMillis()));
        }
    }

    /**
     * The headers a GET would get, and nothing else. The default HEAD runs doGet into a response that discards the
     * body, so no write ever fails and the stream would hold its place and its connection forever.
     */
    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (checkedSelection(request, response) != null) {
            streamHeaders(response);
        }
    }

    // Grants CORS, checks the topics and the token; null when the request was refused (the answer is written).
    private TopicSelection checkedSelection(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        runtime.cors().grant(request, response);
        TopicSelection selection = TopicSelection.parse(request.getParameterValues("topic"), runtime.tickerTopic(),
                request.getParameter(TopicSelection.WITH_TOPIC));
        if (!selection.isValid()) {
            Responses.reject(response, HttpServletResponse.SC_BAD_REQUEST, selection.error());
            return null;
        }
        try {
            return selection.readableUntil(runtime.access().permitRead(request, selection.topics(), response));
        } catch (Rejection refused) {
            Responses.reject(response, refused.status(), refused.getMessage());
            return null;
        }
    }

    private static long nanoTimeAt(Instant instant) {
        return System.nanoTime() + Duration.between(Instant.now(), instant).toNanos();
    }

    private StreamSubscriber startStream(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Settings settings = runtime.settings();
        streamHeaders(response);
        if (settings.responseBufferSize() > 0) {
            // Frames bypass Jetty's buffer (FrameWriter), which then only caps one write; Tomcat keeps its own 8 KiB
            // for the stream's life and only ever grows it, so a size above that costs memory per stream.
            response.setBufferSize(settings.responseBufferSize());
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // a stream lives until the client leaves or the webapp stops
        StreamSubscriber subscriber = runtime.openStream(async, response.getOutputStream());
        async.addListener(subscriber);
        return subscriber;
    }

    private static void streamHeaders(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-transform");
        response.setHeader("X-Accel-Buffering", "no");
    }

    /**
     * Too many streams. A browser's EventSource gives up for good on any status but 200, so it gets a 200 with a
     * jittered {@code retry:} and an immediate end, and comes back later by itself; other clients get a 503.
     */
    private void turnAway(HttpServletRequest request, HttpServletResponse response) throws IOException {
        runtime.metrics().closed(CloseReason.OVERLOAD);
        long retryMillis = runtime.admission().jitteredRetryMillis();
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("text/event-stream")) {
            streamHeaders(response);
            response.getOutputStream().write(SseEncoder.retry(retryMillis));
        } else {
            response.setHeader("Retry-After", Long.toString((retryMillis + 999) / 1000));
            Responses.reject(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "too many streams: try again later (ssehub.maxStreams)");
        }
    }

    // An empty id is no id: the client has seen nothing, so it starts live instead of being told it missed events.
    private static String lastEventId(HttpServletRequest request) {
        String header = request.getHeader("Last-Event-ID");
        if (header != null && !header.isEmpty()) {
            return header;
        }
        String parameter = request.getParameter("lastEventId");
        return parameter == null || parameter.isEmpty() ? null : parameter;
    }

    /**
     * The topics one stream asked for, and whether each event should name its topic ({@code withTopic=1}: a line
     * {@code topic: <name>} that EventSource ignores), or why they were refused; and until when its token lets it
     * read them.
     */
    record TopicSelection(List<String> topics, boolean withTopic, String error, Instant readableUntil) {

        static final int MAX_TOPICS = 16;
        static final String WITH_TOPIC = "withTopic";

        static TopicSelection parse(String[] requested, String defaultTopic, String withTopic) {
            boolean labelled = "1".equals(withTopic) || "true".equals(withTopic);
            if (withTopic != null && !labelled && !"0".equals(withTopic) && !"false".equals(withTopic)) {
                return invalid(WITH_TOPIC + " must be 1, true, 0 or false, not '" + Responses.printable(withTopic) + "'");
            }
            if (requested == null || requested.length == 0) {
                return new TopicSelection(List.of(defaultTopic), labelled, null, null);
            }
            if (requested.length > MAX_TOPICS) {
                return invalid("at most " + MAX_TOPICS + " topics per stream, got " + requested.length);
            }
            for (String topic : requested) {
                if (!Hub.isValidTopic(topic)) {
                    return invalid("invalid topic name '" + Responses.printable(topic) + "': " + Hub.TOPIC_RULE);
                }
            }
            return new TopicSelection(List.of(requested).stream().distinct().toList(), labelled, null, null);
        }

        boolean isValid() {
            return error == null;
        }

        /** The same topics, read under a token valid until {@code until} (null: public topics, no token). */
        TopicSelection readableUntil(Instant until) {
            return new TopicSelection(topics, withTopic, error, until);
        }

        private static TopicSelection invalid(String error) {
            return new TopicSelection(List.of(), false, error, null);
        }
    }
}
