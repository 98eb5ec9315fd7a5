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

    // Written under this object's monitor; read without it only to skip work early.
    private volatile boolean closed;
    // Set once by finish(); the writer completes the response when the queue runs dry.
    private volatile boolean finishing;
    // Only touched by the current writer.
    private boolean unflushed;

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
        if (closed || finishing) {
            return false;
        }
        FrameQueue.Offer result = queue.offer(frame);
        if (result == FrameQueue.Offer.QUEUED_WAKE_WRITER) {
            wakeWriter();
        }
        return result != FrameQueue.Offer.FULL;
    }

    @Override
    public void finish(byte[] farewell) {
        if (closed || finishing) {
            return;
        }
        finishing = true;
        if (queue.force(farewell) == FrameQueue.Offer.QUEUED_WAKE_WRITER) {
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
    private boolean writeWhileReady() {
        try {
            while (!closed) {
                if (!out.isReady()) {
                    return true; // the container calls onWritePossible when the client has taken the bytes
                }
                byte[] frame = queue.poll();
                if (frame != null) {
                    out.write(frame); // several small writes gather in the response buffer: one flush sends them
                    unflushed = true;
                } else if (unflushed) {
                    unflushed = false;
                    out.flush();
                } else if (finishing) {
                    return false;
                } else if (queue.releaseWriterIfEmpty()) {
                    return true;
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
