package dev.ssehub.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscriber's backlog of encoded frames, bounded in bytes. Any thread may offer; one thread at a time polls.
 * The frames are shared with every other subscriber and never modified.
 */
final class FrameQueue {

    private final ConcurrentLinkedQueue<byte[]> frames = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final long limitBytes;

    FrameQueue(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** Queues a frame unless it would take the backlog past the limit. */
    boolean offer(byte[] frame) {
        long after = queuedBytes.addAndGet(frame.length);
        if (after > limitBytes) {
            queuedBytes.addAndGet(-frame.length);
            return false;
        }
        frames.add(frame);
        return true;
    }

    /** Queues a frame whatever the limit: the last words of a closing stream. */
    void force(byte[] frame) {
        queuedBytes.addAndGet(frame.length);
        frames.add(frame);
    }

    /** The oldest frame, or null when the queue is empty. */
    byte[] poll() {
        byte[] frame = frames.poll();
        if (frame != null) {
            queuedBytes.addAndGet(-frame.length);
        }
        return frame;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    long queuedBytes() {
        return queuedBytes.get();
    }

    void clear() {
        while (poll() != null) {
            // drained so the byte count goes back to zero with the frames
        }
    }
}
