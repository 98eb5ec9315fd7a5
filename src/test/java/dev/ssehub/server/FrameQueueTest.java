package dev.ssehub.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.ssehub.server.FrameQueue.Offer.FULL;
import static dev.ssehub.server.FrameQueue.Offer.QUEUED;
import static dev.ssehub.server.FrameQueue.Offer.QUEUED_WAKE_WRITER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subscriber queue's byte bound and its writer hand-over; the writer lanes' lifecycle. */
class FrameQueueTest {

    @Test
    void theFirstWriterIsTheContainerAndLaterOffersWakeAWriterOnlyWhenNoneIsActive() {
        FrameQueue queue = new FrameQueue(100);
        assertEquals(QUEUED, queue.offer(new byte[10]), "the container's first onWritePossible drains it");
        assertEquals(10, queue.take(1000).length);
        assertNull(queue.take(1000), "empty: the writer steps down");

        assertEquals(QUEUED_WAKE_WRITER, queue.offer(new byte[1]));
        assertEquals(QUEUED, queue.offer(new byte[2]), "the writer woken above will see it");
    }

    @Test
    void aFrameThatWouldPassTheByteLimitIsRefusedButAFarewellIsForcedAndEndsTheQueue() {
        FrameQueue queue = new FrameQueue(100);
        assertEquals(QUEUED, queue.offer(new byte[60]));
        assertEquals(FULL, queue.offer(new byte[41]));
        assertEquals(QUEUED, queue.offer(new byte[40]));
        assertEquals(100, queue.queuedBytes());
        assertEquals(QUEUED, queue.finish(new byte[] {7}));
        assertEquals(101, queue.queuedBytes());
        assertEquals(QUEUED, queue.offer(new byte[1]), "after the farewell frames are ignored, not refused");
        assertEquals(QUEUED, queue.finish(new byte[] {8}), "one farewell only");
        assertEquals(101, queue.queuedBytes());

        assertEquals(60, queue.take(50).length, "a frame larger than the join limit comes alone");
        assertEquals(40, queue.take(40).length, "the farewell would pass the limit: not joined");
        assertArrayEquals(new byte[] {7}, queue.take(40));
        assertSame(FrameQueue.END, queue.take(40));
        assertEquals(0, queue.queuedBytes());
    }

    @Test
    void framesThatQueuedUpAreJoinedInOrderUpToTheLimit() {
        FrameQueue queue = new FrameQueue(1000);
        for (byte b = 1; b <= 5; b++) {
            queue.offer(new byte[] {b, b});
        }
        assertArrayEquals(new byte[] {1, 1, 2, 2, 3, 3}, queue.take(7));
        assertEquals(4, queue.queuedBytes());
        assertArrayEquals(new byte[] {4, 4, 5, 5}, queue.take(100));
        assertNull(queue.take(100));
        assertEquals(0, queue.queuedBytes());
    }

    @Test
    void aClearedQueueTakesNothingMore() {
        FrameQueue queue = new FrameQueue(100);
        queue.offer(new byte[10]);
        queue.clear();
        assertEquals(0, queue.queuedBytes());
        queue.offer(new byte[10]);
        assertSame(FrameQueue.END, queue.take(100));
    }

    @Test
    void writerLanesRunWhatWasSubmittedThenStopAndRefuse() throws Exception {
        WriterPool pool = new WriterPool(2, "test-writer");
        CountDownLatch ran = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            pool.nextLane().execute(ran::countDown);
        }
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        Executor lane = pool.nextLane();

        assertTrue(pool.shutdown(5, TimeUnit.SECONDS));

        assertThrows(RejectedExecutionException.class, () -> lane.execute(() -> { }));
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("test-writer")));
    }
}
