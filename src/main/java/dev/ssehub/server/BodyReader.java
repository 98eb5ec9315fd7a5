package dev.ssehub.server;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads a request body without holding a thread: the container calls back as bytes arrive, and a client that sends
 * its body slowly costs a buffer, not a thread. The body is refused with 413 as soon as it passes the limit and with
 * 408 when it has not ended by the deadline; a whole body goes to the {@link Handler}, which writes the answer.
 */
final class BodyReader implements ReadListener, AsyncListener {

    private static final Logger LOG = Logger.getLogger(BodyReader.class.getName());

    /** Answers a request whose whole body arrived; a {@link Rejection} becomes the answer instead. */
    interface Handler {
        void handle(byte[] body) throws Rejection, IOException;
    }

    private final AsyncContext async;
    private final ServletInputStream in;
    private final int limit;
    private final long timeoutMillis;
    // The deadline and the reading race on different container threads: whichever sets it answers, the other not.
    private final AtomicBoolean answered = new AtomicBoolean();
    private final IntConsumer onAnswered;
    // Set by read before reading starts; then written only in onDataAvailable, which never runs twice at once.
    private Handler handler;
    private byte[] buffer;
    private int length;

    private BodyReader(AsyncContext async, ServletInputStream in, int limit, long timeoutMillis,
            IntConsumer onAnswered) {
        this.async = async;
        this.onAnswered = onAnswered;
        this.in = in;
        this.limit = limit;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Takes {@code request} into asynchronous mode: it is answered and completed later, by {@link #refuse} or after
     * {@link #read}, on whichever thread. Even a refusal is answered this way: after a synchronous answer a container
     * may drain the unread body, holding a thread while it trickles in. {@code onAnswered} is told the status of
     * the answer, whichever it is.
     */
    static BodyReader start(HttpServletRequest request, int limit, long timeoutMillis, IntConsumer onAnswered)
            throws IOException {
        AsyncContext async = request.startAsync();
        async.setTimeout(timeoutMillis); // the whole body's deadline: a byte now and then does not extend it
        BodyReader reader = new BodyReader(async, request.getInputStream(), limit, timeoutMillis, onAnswered);
        async.addListener(reader);
        return reader;
    }

    /** Reads the body and hands it to {@code handler}; one declared larger than the limit is refused unread. */
    void read(Handler handler) throws IOException {
        long declared = async.getRequest().getContentLengthLong();
        if (declared > limit) {
            refuse(tooLarge(limit));
            return;
        }
        this.handler = handler;
        buffer = new byte[declared >= 0 ? (int) declared + 1 : Math.min(limit + 1, 8192)];
        in.setReadListener(this);
    }

    /**
     * Answers with the refusal, unless the request was answered already. The rest of the body is never read, so
     * the connection is closed after the answer: it could carry no further request.
     */
    void refuse(Rejection rejection) throws IOException {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            HttpServletResponse response = response();
            response.setHeader("Connection", "close");
            Responses.reject(response, rejection.status(), rejection.getMessage());
        } finally {
            complete();
        }
    }

    private void complete() {
        onAnswered.accept(response().getStatus());
        async.complete();
    }

    private static Rejection tooLarge(int limit) {
        return new Rejection(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                "the body is larger than " + limit + " bytes (ssehub.maxEventBytes)");
    }

    // Reads at most one byte past the limit, so an oversized body costs no more than the limit to refuse.
    @Override
    public void onDataAvailable() throws IOException {
        while (!answered.get() && in.isReady()) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(limit + 1, buffer.length * 2 + 1));
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                return; // onAllDataRead follows
            }
            length += n;
            if (length > limit) {
                refuse(tooLarge(limit));
                return;
            }
        }
    }

    @Override
    public void onAllDataRead() throws IOException {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            handler.handle(Arrays.copyOf(buffer, length));
        } catch (Rejection rejection) {
            Responses.reject(response(), rejection.status(), rejection.getMessage());
        } catch (RuntimeException bug) {
            // Completing after a bare throw would send an empty 200; the container's error page is not ours to rely on.
            LOG.log(Level.SEVERE, "answering a request whose body arrived failed", bug);
            Responses.reject(response(), HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                    "internal error: see the server log");
        } finally {
            complete();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
        refuse(new Rejection(HttpServletResponse.SC_REQUEST_TIMEOUT,
                "the body did not arrive within " + timeoutMillis + " ms (ssehub.bodyReadTimeout)"));
    }

    @Override
    public void onError(Throwable failure) {
        giveUp(); // the client went away or sent a broken body: nobody is left to read an answer
    }

    @Override
    public void onError(AsyncEvent event) {
        giveUp();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // nothing held
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    private void giveUp() {
        if (answered.compareAndSet(false, true)) {
            async.complete();
        }
    }

    private HttpServletResponse response() {
        return (HttpServletResponse) async.getResponse();
    }
}
