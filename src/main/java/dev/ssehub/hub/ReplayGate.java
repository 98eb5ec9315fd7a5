package dev.ssehub.hub;

import java.util.ArrayDeque;

/**
 * Stands in for a sink while its replay is copied outside the publish lock: live events published meanwhile are
 * held here, and reach the sink after the replay, in order, when the gate opens. Once open, it passes every call
 * straight through.
 */
final class ReplayGate implements EventSink {

    final EventSink sink;
    private final long maxHeldBytes;
    // Set once, under this object's monitor, after the held frames went to the sink; read first without it.
    private volatile boolean open;
    // Guarded by this.
    private ArrayDeque<byte[]> held = new ArrayDeque<>();
    private long heldBytes;

    ReplayGate(EventSink sink, long maxHeldBytes) {
        this.sink = sink;
        this.maxHeldBytes = maxHeldBytes;
    }

    @Override
    public boolean offer(byte[] frame) {
        if (!open) {
            synchronized (this) {
                if (!open) {
                    if (heldBytes + frame.length > maxHeldBytes) {
                        return false; // more arrived than the client could take: it reconnects from its last id
                    }
                    held.addLast(frame);
                    heldBytes += frame.length;
                    return true;
                }
            }
        }
        return sink.offer(frame);
    }

    @Override
    public boolean keepAlive(byte[] comment) {
        return sink.keepAlive(comment);
    }

    /** Hands the held frames to the sink and lets later ones through; false when the sink could not take them. */
    synchronized boolean open() {
        boolean taken = true;
        for (byte[] frame = held.pollFirst(); frame != null && taken; frame = held.pollFirst()) {
            taken = sink.offer(frame);
        }
        held = null;
        open = true;
        return taken;
    }

    @Override
    public void finish(byte[] farewell) {
        sink.finish(farewell);
    }

    @Override
    public void abort() {
        sink.abort();
    }
}
