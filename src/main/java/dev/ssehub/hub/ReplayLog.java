package dev.ssehub.hub;

import java.util.List;

/**
 * The most recent encoded events of one topic, oldest first, in a fixed-size ring. Not thread-safe: the hub guards
 * it with its publish lock.
 */
final class ReplayLog {

    private final int capacity;
    // Grown by doubling up to the capacity, so that a quiet topic costs little.
    private long[] sequences;
    private byte[][] frames;
    private int oldest;
    private int size;
    // Every sequence up to this one has left the ring (0: nothing has); a reader behind it missed events.
    private long evictedThrough;

    ReplayLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay log capacity must be at least 1");
        }
        this.capacity = capacity;
        int initial = Math.min(capacity, 16);
        sequences = new long[initial];
        frames = new byte[initial][];
    }

    void append(long sequence, byte[] frame) {
        if (size == frames.length && size < capacity) {
            grow();
        }
        if (size == capacity) {
            evictedThrough = sequences[oldest];
            frames[oldest] = null;
            oldest = (oldest + 1) % frames.length;
            size--;
        }
        int slot = (oldest + size) % frames.length;
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
