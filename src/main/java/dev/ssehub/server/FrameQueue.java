package dev.ssehub.server;

import java.util.ArrayDeque;

/**
 * A subscriber's backlog of encoded frames, bounded in bytes, together with the flag saying whether a writer is
 * draining it. Any thread may offer; only the writer takes. Keeping both under one small lock makes the hand-over
 * exact: a frame is either seen by the active writer or its offer reports that a writer must be woken. No allocation
 * per frame: the frames are shared with every other subscriber and never modified; frames that queued up behind a
 * slow socket are joined into one block, so the client gets them in one write.
 */
final class FrameQueue {

    /** What became of an offered frame. */
    enum Offer { QUEUED, QUEUED_WAKE_WRITER, FULL }

    /** Returned by {@link #take} once the farewell has been taken: the stream ends. Compared by identity. */
    static final byte[] END = new byte[0];

    // After a burst the deque has grown; it is replaced once empty so an idle stream does not keep the space.
    private static final int SHRINK_ABOVE = 64;

    private final long limitBytes;
    // All guarded by this.
    private ArrayDeque<byte[]> frames = new ArrayDeque<>(8);
    private int highWater;
    private long queuedBytes;
    // Written and read by the writer only (in take, then after its write): the first frame of the block take()
    // returned last, so that a sampled event can be timed even inside a joined block.
    private byte[] lastFirst;
    // Starts true: the container's first onWritePossible is the first writer.
    private boolean writerActive = true;
    private boolean finished;

    FrameQueue(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** Queues a frame unless it would take the backlog past the limit. After {@link #finish} frames are ignored. */
    synchronized Offer offer(byte[] frame) {
        if (finished) {
            return Offer.QUEUED; // the stream is ending; its client replays from its last id
        }
        if (queuedBytes + frame.length > limitBytes) {
            return Offer.FULL;
        }
        return add(frame);
    }

    /** Queues the last words of a closing stream, whatever the limit; nothing is queued after them. Idempotent. */
    synchronized Offer finish(byte[] farewell) {
        if (finished) {
            return Offer.QUEUED;
        }
        finished = true;
        return add(farewell);
    }

    /**
     * Writer only. The oldest frame, joined with the ones behind it while the block stays within {@code joinBytes}
     * (a larger frame comes alone); {@link #END} when the farewell has gone out; null when nothing is queued, and
     * then the caller is no longer the writer.
     */
    synchronized byte[] take(int joinBytes) {
        byte[] first = frames.pollFirst();
        if (first == null) {
            if (finished) {
                return END;
            }
            writerActive = false;
            if (highWater > SHRINK_ABOVE) {
                frames = new ArrayDeque<>(8);
                highWater = 0;
            }
            return null;
        }
        lastFirst = first;
        byte[] next = frames.peekFirst();
        if (next == null || first.length + next.length > joinBytes) {
            queuedBytes -= first.length;
            return first;
        }
        return join(first, joinBytes);
    }

    /** Writer only: the first frame of the last block {@link #take} returned. */
    byte[] lastTakenFirst() {
        return lastFirst;
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** Forgets what is queued and takes no more: the stream is closed. */
    synchronized void clear() {
        frames = new ArrayDeque<>(8);
        highWater = 0;
        queuedBytes = 0;
        finished = true;
    }

    // Under the lock, with at least two frames fitting.
    private byte[] join(byte[] first, int joinBytes) {
        int length = first.length;
        int count = 0;
        for (byte[] frame : frames) {
            if (length + frame.length > joinBytes) {
                break;
            }
            length += frame.length;
            count++;
        }
        byte[] block = new byte[length];
        System.arraycopy(first, 0, block, 0, first.length);
        int at = first.length;
        for (int i = 0; i < count; i++) {
            byte[] frame = frames.pollFirst();
            System.arraycopy(frame, 0, block, at, frame.length);
            at += frame.length;
        }
        queuedBytes -= length;
        return block;
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
