package dev.ssehub.client;

import dev.ssehub.wire.SseEvent;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The command line's listener: prints events to stdout, one-line notices to stderr, and decides the exit status. */
final class EventPrinter implements EventSourceListener {

    static final String PREFIX = "ssehub-client: ";
    // The event ssehub sends in place of a replay it cannot give.
    private static final String MISSED = "missed";

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
        if (!json && MISSED.equals(event.type())) {
            err.println(PREFIX + missedNotice(event.data()));
            return; // a notice about the stream, not one of its events
        }
        out.println(json ? JsonLine.of(event) : received(event.data()));
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
            String comeBack = status.retryAfter()
                    .map(wait -> "; the server asks to come back in " + HumanDuration.of(wait)).orElse("");
            finish(ExitStatus.HTTP_ERROR, uri + " answered " + status.getMessage() + comeBack);
        } else if (error instanceof ContentTypeException type) {
            finish(ExitStatus.NOT_AN_EVENT_STREAM, uri + " is not an event stream: " + type.getMessage());
        } else if (!opened && error instanceof IOException) {
            finish(ExitStatus.CANNOT_CONNECT, "cannot connect to " + uri + ": " + PlainReason.of(error));
        } else if (error instanceof TurnedAwayException turnedAway) {
            err.println(PREFIX + "the server turned the client away (it is full); reconnecting in "
                    + HumanDuration.of(turnedAway.retryAfter()));
        } else if (willRetry) {
            err.println(PREFIX + PlainReason.of(error) + "; reconnecting");
        } else {
            finish(ExitStatus.FAILURE, PlainReason.of(error));
        }
    }

    /**
     * {@code Received event: <data>} as the original Python example prints it; data of several lines gets a header
     * that counts them and each line indented, so that no line of data can pass for the start of an event.
     */
    static String received(String data) {
        if (data.indexOf('\n') < 0) {
            return "Received event: " + data;
        }
        String[] lines = data.split("\n", -1);
        StringBuilder text = new StringBuilder("Received event (").append(lines.length).append(" lines):");
        for (String line : lines) {
            text.append("\n  ").append(line);
        }
        return text.toString();
    }

    // ssehub's {"lastEventId":"12345","reason":"malformed"}; another server's notice is shown as it came.
    private static String missedNotice(String data) {
        Map<String, String> notice = JsonLine.stringMembers(data);
        if (notice == null || notice.get("lastEventId") == null || notice.get("reason") == null) {
            return "events were missed: " + OneLine.of(data);
        }
        return "events were missed: the server cannot replay what came after " + OneLine.of(notice.get("lastEventId"))
                + " (" + OneLine.of(notice.get("reason")) + "); going on with live events";
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
}
