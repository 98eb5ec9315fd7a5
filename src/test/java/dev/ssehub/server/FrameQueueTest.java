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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subscriber queue's byte bound and its writer hand-over; the writer lanes' lifecycle. */
class FrameQueueTest {

    @Test
    void theFirstWriterIsTheContainerAndLaterOffersWakeAWriterOnlyWhenNoneIsActive() {
        FrameQueue queue = new FrameQueue(100);
        assertEquals(QUEUED, queue.offer(new byte[10]), "the container's first onWritePossible drains it");
        assertEquals(10, queue.poll().length);
        assertTrue(queue.releaseWriterIfEmpty());

        assertEquals(QUEUED_WAKE_WRITER, queue.offer(new byte[1]));
        assertEquals(QUEUED, queue.offer(new byte[2]), "the writer woken above will see it");
        assertFalse(queue.releaseWriterIfEmpty(), "frames are waiting: the writer must carry on");
    }

    @Test
    void aFrameThatWouldPassTheByteLimitIsRefusedButAFarewellIsForced() {
        FrameQueue queue = new FrameQueue(100);
        assertEquals(QUEUED, queue.offer(new byte[60]));
        assertEquals(FULL, queue.offer(new byte[41]));
        assertEquals(QUEUED, queue.offer(new byte[40]));
        assertEquals(100, queue.queuedBytes());
        assertEquals(QUEUED, queue.force(new byte[] {7}));
        assertEquals(101, queue.queuedBytes());

        assertEquals(60, queue.poll().length);
        assertEquals(40, queue.poll().length);
        assertArrayEquals(new byte[] {7}, queue.poll());
        assertNull(queue.poll());
        assertEquals(0, queue.queuedBytes());
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
