package dev.ssehub.hub;

import java.util.List;

/**
 * The most recent encoded events of one topic, oldest first, in a fixed-size ring. Not thread-safe: the hub guards
 * it with its publish lock.
 */
final class ReplayLog {

    private final long[] sequences;
    private final byte[][] frames;
    private int oldest;
    private int size;
    // Every sequence up to this one has left the ring (0: nothing has); a reader behind it missed events.
    private long evictedThrough;

    ReplayLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay log capacity must be at least 1");
        }
        sequences = new long[capacity];
        frames = new byte[capacity][];
    }

    void append(long sequence, byte[] frame) {
        int capacity = frames.length;
        if (size == capacity) {
            evictedThrough = sequences[oldest];
            frames[oldest] = null;
            oldest = (oldest + 1) % capacity;
            size--;
        }
        int slot = (oldest + size) % capacity;
        sequences[slot] = sequence;
        frames[slot] = frame;
        size++;
    }

    /** Whether a reader that has seen everything up to {@code sequence} can be served without a hole. */
    boolean covers(long sequence) {
        return sequence >= evictedThrough;
    }

    /** Adds the events after {@code sequence} to {@code out}, oldest first. */
    void collectAfter(long sequence, List<Entry> out) {
        for (int i = 0; i < size; i++) {
            int slot = (oldest + i) % frames.length;
            if (sequences[slot] > sequence) {
                out.add(new Entry(sequences[slot], frames[slot]));
            }
        }
    }

    record Entry(long sequence, byte[] frame) {
    }
}
