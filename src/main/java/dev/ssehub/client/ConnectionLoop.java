package dev.ssehub.client;

import dev.ssehub.wire.SseEvent;
import dev.ssehub.wire.SseParser;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.io.CloseMode;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * The reading thread of one {@link EventSourceClient}: connect, check the answer, feed the body to a parser, wait,
 * reconnect with {@code Last-Event-ID}, until stopped. Owns its HTTP client and closes it on the way out.
 */
final class ConnectionLoop implements Runnable {

    private static final int READ_BUFFER_BYTES = 8192;

    private final URI uri;
    private final Map<String, String> headers;
    private final CloseableHttpClient http;
    private final EventSourceListener listener;
    private final RandomGenerator random;

    // Counted down once by stop(); it also cuts the backoff wait short.
    private final CountDownLatch stopped = new CountDownLatch(1);
    // The request being made or read; stop() cancels it, which closes its socket and ends a blocked read.
    private final AtomicReference<HttpGet> inFlight = new AtomicReference<>();
    // Written by the loop thread only; read by anyone through EventSourceClient.lastEventId().
    private volatile String lastEventId;
    // Only the loop thread touches it.
    private Backoff backoff;

    ConnectionLoop(URI uri, Map<String, String> headers, CloseableHttpClient http, EventSourceListener listener,
            String lastEventId, Backoff backoff, RandomGenerator random) {
        this.uri = uri;
        this.headers = Map.copyOf(headers);
        this.http = http;
        this.listener = new GuardedListener(listener);
        this.lastEventId = lastEventId;
        this.backoff = backoff;
        this.random = random;
    }

    /** Idempotent, from any thread. The loop ends promptly and then calls {@code onClosed}. */
    void stop() {
        stopped.countDown();
        HttpGet request = inFlight.get();
        if (request != null) {
            try {
                request.cancel();
            } catch (IllegalStateException releasedMeanwhile) {
                // the loop thread released that connection at the same moment: the request is ending anyway
            }
        }
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    String lastEventId() {
        return lastEventId;
    }

    @Override
    public void run() {
        try {
            while (!isStopped() && attempt()) {
                long delay = backoff.delayMillis(random);
                backoff = backoff.next();
                if (stopped.await(delay, TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                http.close(CloseMode.IMMEDIATE);
            } finally {
                listener.onClosed(); // exactly once, whatever happened before
            }
        }
    }

    /** One connection from request to end. True when the client should try again. */
    private boolean attempt() {
        HttpGet request = newRequest();
        inFlight.set(request);
        if (isStopped()) {
            return false; // stop() may have looked for a request before this one was set
        }
        ClassicHttpResponse response = null;
        try {
            response = http.executeOpen(null, request, null);
            if (StreamAnswer.of(response) == StreamAnswer.STOP) {
                return false;
            }
            backoff = backoff.afterOpen();
            if (!isStopped()) {
                listener.onOpen();
            }
            Dispatcher dispatcher = new Dispatcher();
            read(response.getEntity(), dispatcher);
            return fail(dispatcher.turnedAway()
                    ? new TurnedAwayException(Duration.ofMillis(dispatcher.retryMillis))
                    : new EOFException("the server ended the stream"), true);
        } catch (HttpStatusException | ContentTypeException e) {
            return fail(e, false);
        } catch (IOException e) {
            return fail(e, true);
        } catch (RuntimeException e) {
            return fail(e, false);
        } finally {
            // Cancelled before closed: closing the response first would read an endless body to its end.
            request.cancel();
            inFlight.set(null);
            closeQuietly(response);
        }
    }

    private boolean fail(Throwable error, boolean willRetry) {
        if (isStopped()) {
            return false; // the failure is our own stop() cutting the connection
        }
        listener.onError(error, willRetry);
        return willRetry;
    }

    private HttpGet newRequest() {
        HttpGet request = new HttpGet(uri);
        headers.forEach(request::setHeader);
        request.setHeader("Accept", StreamAnswer.EVENT_STREAM);
        request.setHeader("Cache-Control", "no-cache");
        request.removeHeaders("Last-Event-ID"); // only the stream's own position is ever claimed
        String id = lastEventId;
        if (id != null) {
            request.setHeader("Last-Event-ID", id);
        }
        return request;
    }

    private void read(HttpEntity entity, Dispatcher dispatcher) throws IOException {
        if (entity == null) {
            return;
        }
        // A new parser per connection: each response is a new stream (its own BOM), resuming from the last id.
        SseParser parser = new SseParser(dispatcher, lastEventId);
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        InputStream in = entity.getContent();
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                parser.feed(buffer, 0, n);
                lastEventId = parser.lastEventId(); // blocks without data commit ids too
            }
        } finally {
            parser.finish(); // an event cut off by the end is dropped, and its id is not claimed on reconnect
            lastEventId = parser.lastEventId();
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException alreadyGone) {
                // the connection was cancelled just before
            }
        }
    }

    /** Parser callbacks of one connection, on the loop thread. */
    private final class Dispatcher implements SseParser.Listener {

        private long retryMillis = -1;
        private boolean sawMore; // an event or a comment: a stream that was served, however briefly

        @Override
        public void onEvent(SseEvent event) {
            sawMore = true;
            lastEventId = event.id();
            if (!isStopped()) {
                listener.onEvent(event);
            }
        }

        @Override
        public void onComment(String comment) {
            sawMore = true;
        }

        @Override
        public void onRetry(long millis) {
            retryMillis = millis;
            backoff = backoff.withReconnectTime(millis);
        }

        /** Nothing but {@code retry:} before the end: how ssehub turns an EventSource away when it is full. */
        boolean turnedAway() {
            return retryMillis >= 0 && !sawMore;
        }
    }
}
