package dev.ssehub.server;

import dev.ssehub.hub.EventSink;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connected client: its async context, its bounded queue and the non-blocking writer that drains it.
 *
 * <p>At most one thread writes at a time: the one the queue named writer, either a writer lane woken by an offer or
 * the container calling {@link #onWritePossible} after {@code isReady()} returned false. The writer loops while the
 * output is ready; when it is not, it stays the writer and returns, and the container's next
 * {@code onWritePossible} carries on. Nothing here ever blocks on the client.
 *
 * <p>Writing and closing exclude each other on this object's monitor. Once the container has reported an error or
 * completion it may recycle the response for another request (Tomcat does), so a writer lane still inside
 * {@code drain()} must finish before the callback returns, and nothing may touch the response afterwards. Only
 * non-blocking calls happen under the monitor, and never a call that completes the request.
 *
 * <p>Who completes the request: ssehub, when it ends the stream itself (farewell written, stream dropped) or inside
 * a container callback on the container's thread; never after a write failed on a writer lane, since the container
 * is then already handling the error on a thread of its own (Tomcat completes the request after its
 * {@code AsyncListener.onError}, Jetty calls {@link #onError(Throwable)}), and a second {@code complete()} racing
 * it is refused with an error in the container's log.
 */
final class StreamSubscriber implements EventSink, WriteListener, AsyncListener, Runnable {

    private static final Logger LOG = Logger.getLogger(StreamSubscriber.class.getName());

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final FrameWriter frames;
    private final FrameQueue queue;
    private final Executor writer;
    private final Supplier<byte[]> farewell;
    private final Consumer<StreamSubscriber> onClose;
    private final Consumer<byte[]> onWrite;

    // Frames that piled up behind a slow socket go out joined, up to this many bytes in one write.
    private static final int JOIN_BYTES = 16 * 1024;

    // Written under this object's monitor; read without it only to skip work early.
    private volatile boolean closed;
    // Only touched by the current writer: a block taken from the queue but not yet written, and whether the
    // response buffer holds bytes that were not flushed.
    private byte[] next;
    private boolean unflushed;
    // Set by every write, cleared by a keep-alive round: a stream that got bytes needs no heartbeat.
    private volatile boolean wroteSinceKeepAlive;
    // The ending asked for first, by whichever thread; null while none was: then the client went away.
    private volatile CloseReason ending;
    // When (System.nanoTime) and why the stream must end, the earliest asked for; null for never. Set by the
    // request's thread before the stream starts, read by the deadline rounds.
    private volatile Deadline deadline;

    /**
     * {@code farewell} ends the stream when the container gives up on it; {@code onClose} runs once, on whichever
     * thread closes the stream; {@code onWrite} is told the first frame of each block written. Neither may block.
     */
    StreamSubscriber(AsyncContext async, ServletOutputStream out, int maxQueueBytes, Executor writer,
            Supplier<byte[]> farewell, Consumer<StreamSubscriber> onClose, Consumer<byte[]> onWrite) {
        this.async = async;
        this.out = out;
        this.frames = new FrameWriter(out);
        this.queue = new FrameQueue(maxQueueBytes);
        this.writer = writer;
        this.farewell = farewell;
        this.onClose = onClose;
        this.onWrite = onWrite;
    }

    @Override
    public boolean offer(byte[] frame) {
        if (closed) {
            return false; // the hub forgets it (again, if it subscribed after closing)
        }
        FrameQueue.Offer result = queue.offer(frame);
        if (result == FrameQueue.Offer.QUEUED_WAKE_WRITER) {
            wakeWriter();
        }
        return result != FrameQueue.Offer.FULL;
    }

    /** A heartbeat only for a stream that was sent nothing since the last round. */
    @Override
    public boolean keepAlive(byte[] comment) {
        if (wroteSinceKeepAlive) {
            wroteSinceKeepAlive = false;
            return true;
        }
        return offer(comment);
    }

    /** The hub ends a stream with a farewell only to send the next page of a replay, or when it shuts down. */
    @Override
    public void finish(byte[] farewell) {
        end(CloseReason.REPLAY_PAGED, farewell);
    }

    /** The hub aborts a stream that fell too far behind (or, last of all, at shutdown). */
    @Override
    public void abort() {
        endingIfNone(CloseReason.TOO_SLOW);
        close(true);
    }

    /** Writes what is queued, then {@code farewell}, then ends the stream, for {@code reason}. */
    void end(CloseReason reason, byte[] farewell) {
        endingIfNone(reason);
        if (!closed && queue.finish(farewell) == FrameQueue.Offer.QUEUED_WAKE_WRITER) {
            wakeWriter();
        }
    }

    /** Why the stream ended; asked once it has. */
    CloseReason closeReason() {
        CloseReason reason = ending;
        return reason == null ? CloseReason.CLIENT_GONE : reason;
    }

    long queuedBytes() {
        return queue.queuedBytes();
    }

    /** Ends the stream after {@code nanos} more, at a deadline round that finds it due. */
    void rotateAfter(long nanos) {
        endAt(System.nanoTime() + nanos, CloseReason.ROTATED);
    }

    /** Ends the stream at {@code atNanos} ({@link System#nanoTime}) for {@code reason}, unless due earlier already. */
    void endAt(long atNanos, CloseReason reason) {
        Deadline current = deadline;
        if (current == null || atNanos - current.atNanos() < 0) {
            deadline = new Deadline(atNanos, reason);
        }
    }

    /** Why the stream must end now, or null while it need not. */
    CloseReason dueToEnd(long nowNanos) {
        Deadline due = deadline;
        return due != null && nowNanos - due.atNanos() >= 0 ? due.reason() : null;
    }

    private record Deadline(long atNanos, CloseReason reason) {
    }

    /** A heartbeat, whether or not the stream was sent bytes lately: only a write tells that the client left. */
    void probe(byte[] comment) {
        if (!offer(comment)) {
            abort(); // closed already, or so far behind that the hub would drop it at the next event
        }
    }

    @Override
    public void run() {
        drain();
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    @Override
    public void onError(Throwable failure) {
        close(false); // a write failed: the client is gone; it reconnects and replays
        complete(); // even when a lane saw the failure first: Jetty leaves completing to us, on its thread, here
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close(false);
    }

    /**
     * Our timeout is 0 (never), so the container is giving up on the request: Tomcat does so for every async request
     * once it begins stopping the webapp, before ssehub's listener hears of it. The farewell goes out now.
     */
    @Override
    public void onTimeout(AsyncEvent event) {
        endingIfNone(CloseReason.SHUTDOWN);
        queue.finish(farewell.get()); // no writer is woken: this thread writes it
        synchronized (this) {
            if (closed) {
                return;
            }
            writeWhileReady(); // a client too slow to take it now reconnects after its last retry hint
            closed = true;
        }
        afterClose(true); // on the container's thread, inside its callback: the request ends without an error
    }

    @Override
    public void onError(AsyncEvent event) {
        close(false); // the container completes the request after its listeners
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-dispatched: nothing to do
    }

    private void wakeWriter() {
        try {
            writer.execute(this);
        } catch (RejectedExecutionException e) {
            close(true); // shutting down: nobody is left to write
        }
    }

    private void drain() {
        Ending ending;
        synchronized (this) {
            ending = writeWhileReady();
            if (ending == Ending.NOT_YET) {
                return;
            }
            closed = true;
        }
        // After a failed write the container completes the request itself, or calls onError for us to do it.
        afterClose(ending == Ending.FINISHED);
    }

    /** Why {@link #writeWhileReady} stopped writing. */
    private enum Ending { NOT_YET, FINISHED, FAILED }

    // Under the monitor. FINISHED once the farewell is out, FAILED when a write failed (the client is gone).
    // The usual event costs one take, one write, one flush and two isReady() calls; on Jetty no flush, one isReady().
    private Ending writeWhileReady() {
        byte[] block = next;
        next = null;
        try {
            while (!closed) {
                if (block == null && !unflushed) {
                    block = queue.take(JOIN_BYTES);
                    if (block == null) {
                        return Ending.NOT_YET; // nothing queued: the next offer wakes a writer
                    }
                }
                if (!out.isReady()) {
                    next = block; // kept for onWritePossible, which the container calls when the client caught up
                    return Ending.NOT_YET;
                }
                if (block == null) {
                    unflushed = false;
                    out.flush();
                } else if (block == FrameQueue.END) {
                    return Ending.FINISHED; // the farewell is out; completing the response sends what remains
                } else {
                    frames.write(block);
                    onWrite.accept(queue.lastTakenFirst());
                    block = null;
                    if (!frames.sendsAtOnce()) {
                        unflushed = true;
                        if (out.isReady()) { // the bytes were only buffered, or a large write went out at once
                            unflushed = false;
                            out.flush();
                        }
                    }
                    if (!wroteSinceKeepAlive) { // read first: a volatile store on every event costs more
                        wroteSinceKeepAlive = true;
                    }
                }
            }
            return Ending.NOT_YET;
        } catch (IOException | RuntimeException e) {
            return Ending.FAILED;
        }
    }

    private void endingIfNone(CloseReason reason) {
        if (ending == null) {
            ending = reason;
        }
    }

    private void close(boolean complete) {
        synchronized (this) { // waits for a drain in progress; afterwards no thread touches the response
            if (closed) {
                return;
            }
            closed = true;
        }
        afterClose(complete);
    }

    // Once, after `closed` was set; outside the monitor, since completing calls into the container.
    private void afterClose(boolean complete) {
        queue.clear();
        try {
            onClose.accept(this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing a stream failed", e); // cleanup must never throw into a writer
        }
        if (complete) {
            complete();
        }
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // the container completed it first (client gone, shutdown): nothing left to do
        }
    }
}
