package dev.ssehub.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayerTest {

    @Test
    void replaysWaitInABoundedQueueAndOneThatFailsStopsNoOther() throws Exception {
        Replayer replayer = new Replayer(1, 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(2);
        try {
            assertTrue(replayer.submit(() -> awaitQuietly(release))); // takes the one thread
            assertTrue(replayer.submit(() -> {
                throw new IllegalStateException("thrown by the test");
            }));
            assertTrue(replayer.submit(ran::countDown));
            assertFalse(replayer.submit(ran::countDown), "the queue holds two: the client is told to come back");

            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ran.getCount() == 2) { // the queued one ran, after the one that failed
                assertTrue(System.nanoTime() < deadline, "the replay queued after a failed one never ran");
                Thread.sleep(5);
            }
            assertTrue(replayer.submit(ran::countDown), "room again once the queue drained");
            assertTrue(ran.await(5, TimeUnit.SECONDS));
        } finally {
            replayer.shutdown(1000);
        }
        assertFalse(replayer.submit(() -> { }), "nothing is taken after shutdown");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
