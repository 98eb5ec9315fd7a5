package dev.ssehub.hub;

import java.util.List;

/**
 * The most recent encoded events of one topic, oldest first, in a ring of at most {@code capacity} entries.
 * Appends and evictions come from the publisher (under the hub's publish lock); replays read from any thread, so
 * every method takes this log's own monitor, and only for as long as copying a few references takes.
 */
final class ReplayLog {

    private final int capacity;
    // All guarded by this. Grown by doubling up to the capacity, so that a quiet topic costs little.
    private long[] sequences;
    private byte[][] frames;
    private int oldest;
    private int size;
    // Every sequence up to this one has left the ring (0: nothing has); a reader behind it missed events.
    private long evictedThrough;
    private long lastAppendMillis;

    ReplayLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay log capacity must be at least 1");
        }
        this.capacity = capacity;
        int initial = Math.min(capacity, 4);
        sequences = new long[initial];
        frames = new byte[initial][];
    }

    /** Appends a frame; returns the frame that left the ring to make room, or null. */
    synchronized byte[] append(long sequence, byte[] frame, long nowMillis) {
        byte[] evicted = null;
        if (size == frames.length && size < capacity) {
            grow();
        }
        if (size == capacity) {
            evicted = evictOldest();
        }
        int slot = (oldest + size) % frames.length;
        sequences[slot] = sequence;
        frames[slot] = frame;
        size++;
        lastAppendMillis = nowMillis;
        return evicted;
    }

    /** Removes the oldest frame when its sequence is {@code sequence}; returns it, or null when it already left. */
    synchronized byte[] evictIfOldest(long sequence) {
        return size > 0 && sequences[oldest] == sequence ? evictOldest() : null;
    }

    /** Removes the oldest frame and returns it; null when the log is empty. */
    synchronized byte[] evictOldestIfAny() {
        return size == 0 ? null : evictOldest();
    }

    synchronized boolean isEmpty() {
        return size == 0;
    }

    synchronized long lastAppendMillis() {
        return lastAppendMillis;
    }

    /** The newest sequence ever appended, or 0. */
    synchronized long newestSequence() {
        return size == 0 ? evictedThrough : sequences[(oldest + size - 1) % frames.length];
    }

    /** Whether a sequence ever appended is still held; false once evicted. */
    synchronized boolean holds(long sequence) {
        return size > 0 && sequence >= sequences[oldest] && sequence <= newestSequence();
    }

    /** What {@link #copyRange} found. */
    enum Copy { ALL, PART, LOST }

    /**
     * Adds the entries after {@code after} and up to {@code through}, oldest first, to {@code out}, until their
     * frames reach {@code maxBytes} (the first one is always taken): {@code ALL} of them or a {@code PART}.
     * {@code LOST}, adding nothing, when events after {@code after} were evicted: a reader at {@code after} cannot
     * be served without a hole.
     */
    synchronized Copy copyRange(long after, long through, long maxBytes, List<Entry> out) {
        if (after < evictedThrough) {
            return Copy.LOST;
        }
        long bytes = 0;
        for (int i = firstAfter(after); i < size; i++) {
            int slot = (oldest + i) % frames.length;
            if (sequences[slot] > through) {
                break;
            }
            if (bytes > 0 && bytes + frames[slot].length > maxBytes) {
                return Copy.PART;
            }
            bytes += frames[slot].length;
            out.add(new Entry(sequences[slot], frames[slot]));
        }
        return Copy.ALL;
    }

    // Binary search over the ring, whose sequences increase: the position of the first one above `after`.
    private int firstAfter(long after) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sequences[(oldest + middle) % frames.length] <= after) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private byte[] evictOldest() {
        byte[] frame = frames[oldest];
        evictedThrough = sequences[oldest];
        frames[oldest] = null;
        oldest = (oldest + 1) % frames.length;
        size--;
        return frame;
    }

    private void grow() {
        int length = Math.min(capacity, frames.length * 2);
        long[] newSequences = new long[length];
        byte[][] newFrames = new byte[length][];
        for (int i = 0; i < size; i++) {
            int slot = (oldest + i) % frames.length;
            newSequences[i] = sequences[slot];
            newFrames[i] = frames[slot];
        }
        sequences = newSequences;
        frames = newFrames;
        oldest = 0;
    }

    record Entry(long sequence, byte[] frame) {
    }
}
