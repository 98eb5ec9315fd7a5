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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connected client: its async context, its bounded queue and the non-blocking writer that drains it.
 *
 * <p>At most one thread writes at a time: whoever moves the state from IDLE to WRITING (a publisher, through the
 * writer executor) or the container calling {@link #onWritePossible} after {@code isReady()} returned false. The
 * writer loops while the output is ready; when it is not, it leaves the state WRITING and returns, and the
 * container's next {@code onWritePossible} carries on. Nothing here ever blocks on the client.
 */
final class StreamSubscriber implements EventSink, WriteListener, AsyncListener, Runnable {

    private static final Logger LOG = Logger.getLogger(StreamSubscriber.class.getName());
    private static final int IDLE = 0;
    private static final int WRITING = 1;

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final FrameQueue queue;
    private final Executor writers;
    private final Consumer<StreamSubscriber> onClose;

    // Starts WRITING: the container owns the first drain, its initial onWritePossible after setWriteListener.
    private final AtomicInteger state = new AtomicInteger(WRITING);
    private final AtomicBoolean closed = new AtomicBoolean();
    // Set once by finish(); the writer completes the response when the queue runs dry.
    private volatile boolean finishing;
    // Only touched by the thread that holds WRITING.
    private boolean unflushed;

    /** {@code onClose} runs once, on whichever thread closes the stream; it must not block. */
    StreamSubscriber(AsyncContext async, ServletOutputStream out, int maxQueueBytes, Executor writers,
            Consumer<StreamSubscriber> onClose) {
        this.async = async;
        this.out = out;
        this.queue = new FrameQueue(maxQueueBytes);
        this.writers = writers;
        this.onClose = onClose;
    }

    @Override
    public boolean offer(byte[] frame) {
        if (closed.get() || finishing || !queue.offer(frame)) {
            return false;
        }
        wakeWriter();
        return true;
    }

    @Override
    public void finish(byte[] farewell) {
        if (closed.get() || finishing) {
            return;
        }
        queue.force(farewell);
        finishing = true;
        wakeWriter();
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
        if (state.compareAndSet(IDLE, WRITING)) {
            try {
                writers.execute(this);
            } catch (RejectedExecutionException e) {
                close(); // shutting down: nobody is left to write
            }
        }
    }

    private void drain() {
        try {
            while (!closed.get()) {
                if (!out.isReady()) {
                    return; // the container calls onWritePossible when the client has taken the bytes
                }
                byte[] frame = queue.poll();
                if (frame != null) {
                    out.write(frame);
                    unflushed = true;
                } else if (unflushed) {
                    unflushed = false;
                    out.flush();
                } else if (finishing) {
                    close();
                } else {
                    state.set(IDLE);
                    // A frame offered after the poll above saw IDLE too late to wake us: take it back if nobody did.
                    if (queue.isEmpty() || !state.compareAndSet(IDLE, WRITING)) {
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
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
