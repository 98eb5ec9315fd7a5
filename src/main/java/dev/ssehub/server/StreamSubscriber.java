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
 */
final class StreamSubscriber implements EventSink, WriteListener, AsyncListener, Runnable {

    private static final Logger LOG = Logger.getLogger(StreamSubscriber.class.getName());

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final FrameQueue queue;
    private final Executor writer;
    private final Consumer<StreamSubscriber> onClose;

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

    /** {@code onClose} runs once, on whichever thread closes the stream; it must not block. */
    StreamSubscriber(AsyncContext async, ServletOutputStream out, int maxQueueBytes, Executor writer,
            Consumer<StreamSubscriber> onClose) {
        this.async = async;
        this.out = out;
        this.queue = new FrameQueue(maxQueueBytes);
        this.writer = writer;
        this.onClose = onClose;
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

    @Override
    public void finish(byte[] farewell) {
        if (!closed && queue.finish(farewell) == FrameQueue.Offer.QUEUED_WAKE_WRITER) {
            wakeWriter();
        }
    }

    @Override
    public void abort() {
        close();
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
        close(); // the client is gone or the write failed; it reconnects and replays
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public void onError(AsyncEvent event) {
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-dispatched: nothing to do
    }

    private void wakeWriter() {
        try {
            writer.execute(this);
        } catch (RejectedExecutionException e) {
            close(); // shutting down: nobody is left to write
        }
    }

    private void drain() {
        synchronized (this) {
            if (writeWhileReady()) {
                return;
            }
            closed = true;
        }
        afterClose();
    }

    // Under the monitor. False when the stream must close: it is finished, or a write failed (the client is gone).
    // The usual event costs one take, one write, one flush and two isReady() calls.
    private boolean writeWhileReady() {
        byte[] block = next;
        next = null;
        try {
            while (!closed) {
                if (block == null && !unflushed) {
                    block = queue.take(JOIN_BYTES);
                    if (block == null) {
                        return true; // nothing queued: the next offer wakes a writer
                    }
                }
                if (!out.isReady()) {
                    next = block; // kept for onWritePossible, which the container calls when the client caught up
                    return true;
                }
                if (block == null) {
                    unflushed = false;
                    out.flush();
                } else if (block == FrameQueue.END) {
                    return false; // the farewell is out; completing the response sends what remains
                } else {
                    out.write(block);
                    block = null;
                    unflushed = true;
                    if (out.isReady()) { // the bytes were only buffered, or a large write went out at once
                        unflushed = false;
                        out.flush();
                    }
                    if (!wroteSinceKeepAlive) { // read first: a volatile store on every event costs more
                        wroteSinceKeepAlive = true;
                    }
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void close() {
        synchronized (this) { // waits for a drain in progress; afterwards no thread touches the response
            if (closed) {
                return;
            }
            closed = true;
        }
        afterClose();
    }

    // Once, after `closed` was set; outside the monitor, since completing calls into the container.
    private void afterClose() {
        queue.clear();
        try {
            onClose.accept(this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing a stream failed", e); // cleanup must never throw into a writer
        }
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // the container completed it first (client gone, shutdown): nothing left to do
        }
    }
}
