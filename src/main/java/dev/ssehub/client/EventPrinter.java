package dev.ssehub.client;

import dev.ssehub.wire.SseEvent;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The command line's listener: prints events to stdout, one-line notices to stderr, and decides the exit status. */
final class EventPrinter implements EventSourceListener {

    static final String PREFIX = "ssehub-client: ";

    private final URI uri;
    private final boolean json;
    private final long count;
    private final PrintStream out;
    private final PrintStream err;
    // Completed once, by the first of: enough events, a fatal answer, a stop, the timeout (main thread).
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    // Only the client's thread touches these.
    private volatile long printed; // read by the main thread for the timeout message
    private boolean opened;

    EventPrinter(URI uri, boolean json, long count, PrintStream out, PrintStream err) {
        this.uri = uri;
        this.json = json;
        this.count = count;
        this.out = out;
        this.err = err;
    }

    @Override
    public void onOpen() {
        opened = true;
    }

    @Override
    public void onEvent(SseEvent event) {
        if (exit.isDone()) {
            return; // --count reached: the client is being closed
        }
        out.println(json ? JsonLine.of(event) : "Received event: " + event.data());
        out.flush();
        printed++;
        if (count > 0 && printed >= count) {
            exit.complete(ExitStatus.OK);
        }
    }

    @Override
    public void onError(Throwable error, boolean willRetry) {
        if (exit.isDone()) {
            return; // decided already; the client is being closed
        }
        if (error instanceof HttpStatusException status) {
            finish(ExitStatus.HTTP_ERROR, uri + " answered " + status.getMessage());
        } else if (error instanceof ContentTypeException type) {
            finish(ExitStatus.NOT_AN_EVENT_STREAM, uri + " is not an event stream: " + type.getMessage());
        } else if (!opened && error instanceof IOException) {
            finish(ExitStatus.CANNOT_CONNECT, "cannot connect to " + uri + ": " + reason(error));
        } else if (willRetry) {
            String reason = reason(error);
            boolean plain = error instanceof EOFException || reason.equals("connection refused");
            err.println(PREFIX + (plain ? reason : "connection lost (" + reason + ")") + "; reconnecting");
        } else {
            finish(ExitStatus.FAILURE, reason(error));
        }
    }

    @Override
    public void onClosed() {
        // Every other way of stopping has decided the exit already; what is left is the server's 204.
        finish(ExitStatus.OK, "the server asked the client to stop (HTTP 204)");
    }

    /** Waits for the outcome; after {@code timeout} (null: none) the outcome is a timeout, unless one came first. */
    ExitStatus await(Duration timeout, String timeoutText) throws InterruptedException {
        try {
            if (timeout == null) {
                return exit.get();
            }
            return exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            String progress = count > 0 ? " (" + printed + " of " + count + " events)" : "";
            finish(ExitStatus.TIMEOUT, "timed out after " + timeoutText + progress);
            return exit.join();
        } catch (ExecutionException e) {
            return ExitStatus.FAILURE; // never completed exceptionally
        }
    }

    private void finish(ExitStatus status, String message) {
        if (exit.complete(status)) {
            err.println(PREFIX + message);
        }
    }

    private static String reason(Throwable error) {
        if (error instanceof EOFException) {
            return "the server ended the stream";
        }
        Throwable root = error;
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof UnknownHostException) {
                return "unknown host " + e.getMessage();
            }
            if (e instanceof ConnectException) {
                return "connection refused"; // httpclient's message repeats the URL
            }
            if (e instanceof NoRouteToHostException) {
                return "no route to host";
            }
            root = e;
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
