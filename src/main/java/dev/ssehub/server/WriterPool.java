package dev.ssehub.server;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The threads that write queued events to clients, one lane per thread. Each stream is bound to one lane for its
 * life, so the streams are spread over the cores and a stream's writes never race each other. Submitting is a
 * deque append under the lane's lock, without allocation, and wakes the thread only when it is waiting.
 */
final class WriterPool {

    private static final Logger LOG = Logger.getLogger(WriterPool.class.getName());

    private final Lane[] lanes;
    private final AtomicInteger nextLane = new AtomicInteger();

    WriterPool(int threads, String namePrefix) {
        lanes = new Lane[threads];
        for (int i = 0; i < threads; i++) {
            lanes[i] = new Lane();
            Thread thread = new Thread(lanes[i], namePrefix + "-" + (i + 1));
            thread.setDaemon(true);
            lanes[i].thread = thread;
            thread.start();
        }
    }

    /** The lane for a new stream, taken in turn. */
    Executor nextLane() {
        return lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)];
    }

    /** Completes once every lane has run what was submitted to it before this call; at once when stopped. */
    CompletableFuture<Void> afterQueued() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(lanes.length);
        Runnable arrive = () -> {
            if (left.decrementAndGet() == 0) {
                done.complete(null);
            }
        };
        for (Lane lane : lanes) {
            try {
                lane.execute(arrive); // each lane runs its tasks in order
            } catch (RejectedExecutionException stopped) {
                arrive.run();
            }
        }
        return done;
    }

    /** Runs what is already submitted, refuses anything new, and waits up to {@code timeout} for the threads. */
    boolean shutdown(long timeout, TimeUnit unit) throws InterruptedException {
        for (Lane lane : lanes) {
            lane.stop();
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Lane lane : lanes) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            lane.thread.join(Math.max(1, left));
        }
        boolean allStopped = true;
        for (Lane lane : lanes) {
            if (lane.thread.isAlive()) {
                lane.thread.interrupt();
                allStopped = false;
            }
        }
        return allStopped;
    }

    private static final class Lane implements Executor, Runnable {

        private Thread thread;
        // Guarded by this.
        private ArrayDeque<Runnable> submitted = new ArrayDeque<>();
        private boolean waiting;
        private boolean stopping;
        // Owned by the lane's thread: swapped with `submitted` so tasks run outside the lock.
        private ArrayDeque<Runnable> running = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                if (stopping) {
                    throw new RejectedExecutionException("the writer pool is stopped");
                }
                submitted.addLast(task);
                if (waiting) {
                    notify();
                }
            }
        }

        synchronized void stop() {
            stopping = true;
            notify();
        }

        @Override
        public void run() {
            while (takeBatch()) {
                for (Runnable task = running.pollFirst(); task != null; task = running.pollFirst()) {
                    try {
                        task.run();
                    } catch (RuntimeException | Error e) { // an OutOfMemoryError must not end the lane for good
                        LOG.log(Level.WARNING, "a stream writer failed", e); // one stream's failure stops no other
                    }
                }
            }
        }

        // False once stopping and nothing is left to run.
        private synchronized boolean takeBatch() {
            while (submitted.isEmpty()) {
                if (stopping) {
                    return false;
                }
                waiting = true;
                try {
                    wait();
                } catch (InterruptedException e) {
                    return false; // shutdown gave up waiting for us
                } finally {
                    waiting = false;
                }
            }
            ArrayDeque<Runnable> batch = submitted;
            submitted = running;
            running = batch;
            return true;
        }
    }
}
