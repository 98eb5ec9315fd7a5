package dev.ssehub.server;

import java.util.ArrayDeque;

/**
 * A subscriber's backlog of encoded frames, bounded in bytes, together with the flag saying whether a writer is
 * draining it. Any thread may offer; only the writer polls. Keeping both under one small lock makes the hand-over
 * exact: a frame is either seen by the active writer or its offer reports that a writer must be woken. No allocation
 * per frame: the frames are shared with every other subscriber and never modified.
 */
final class FrameQueue {

    /** What became of an offered frame. */
    enum Offer { QUEUED, QUEUED_WAKE_WRITER, FULL }

    // After a burst the deque has grown; it is replaced once empty so an idle stream does not keep the space.
    private static final int SHRINK_ABOVE = 64;

    private final long limitBytes;
    // All guarded by this.
    private ArrayDeque<byte[]> frames = new ArrayDeque<>(8);
    private int highWater;
    private long queuedBytes;
    // Starts true: the container's first onWritePossible is the first writer.
    private boolean writerActive = true;

    FrameQueue(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** Queues a frame unless it would take the backlog past the limit. */
    synchronized Offer offer(byte[] frame) {
        if (queuedBytes + frame.length > limitBytes) {
            return Offer.FULL;
        }
        return add(frame);
    }

    /** Queues a frame whatever the limit: the last words of a closing stream. */
    synchronized Offer force(byte[] frame) {
        return add(frame);
    }

    /** The oldest frame, or null when the queue is empty. Writer only. */
    synchronized byte[] poll() {
        byte[] frame = frames.pollFirst();
        if (frame != null) {
            queuedBytes -= frame.length;
        } else if (highWater > SHRINK_ABOVE) {
            frames = new ArrayDeque<>(8);
            highWater = 0;
        }
        return frame;
    }

    /** Writer only: stops being the writer if nothing is queued; false when there is more to write. */
    synchronized boolean releaseWriterIfEmpty() {
        if (frames.isEmpty()) {
            writerActive = false;
            return true;
        }
        return false;
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    synchronized void clear() {
        frames = new ArrayDeque<>(8);
        highWater = 0;
        queuedBytes = 0;
    }

    private Offer add(byte[] frame) {
        frames.addLast(frame);
        queuedBytes += frame.length;
        highWater = Math.max(highWater, frames.size());
        if (writerActive) {
            return Offer.QUEUED;
        }
        writerActive = true;
        return Offer.QUEUED_WAKE_WRITER;
    }
}
