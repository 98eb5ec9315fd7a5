package dev.ssehub.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the replays of reconnecting clients on a few threads of its own instead of the container's: a storm of
 * reconnects then takes no more CPU than these threads can use, and never the container threads that publishing and
 * new streams need. Replays wait in a bounded queue; past it a client is told to come back later.
 */
final class Replayer {

    private static final Logger LOG = Logger.getLogger(Replayer.class.getName());

    private final ThreadPoolExecutor pool;

    Replayer(int threads, int queueLimit) {
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueLimit),
                task -> {
                    Thread thread = new Thread(task, "ssehub-replay-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Queues a replay; false when the queue is full or the replayer stopped, and nothing will run it. */
    boolean submit(Runnable replay) {
        try {
            pool.execute(() -> {
                try {
                    replay.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.WARNING, "a replay failed", e); // one replay's failure stops no other
                }
            });
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }

    /** Runs what is queued, takes nothing new, and waits up to {@code millis} for it. */
    void shutdown(long millis) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
        }
    }
}
