package dev.ssehub.hub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The replay logs of every topic, bounded three ways: events per topic, bytes over all topics (the oldest events
 * leave first), and time (a topic published nothing for a while forgets its log). A topic without events holds
 * nothing here at all.
 *
 * <p>Appends, evictions and expiry are made by one thread at a time (the hub's publisher, under its lock); reads
 * come from any thread without that lock, each log guarding itself.
 */
final class ReplayStore {

    // Entries cost their frame plus the ring slots and the eviction-queue entry that keep them.
    static final int ENTRY_OVERHEAD_BYTES = 64;
    // Hash buckets remembering how far dropped logs reached, so a topic that never had events is told apart from
    // one whose log was dropped. Topics share buckets, so a reader may be told `too-old` when another topic of its
    // bucket was dropped later: a needless notice, never a hole. 128 KiB, whatever the number of topics.
    private static final int DROPPED_BUCKETS = 16_384;

    private final ReplayLimits limits;
    private final Map<String, ReplayLog> logs = new ConcurrentHashMap<>();
    private final AtomicLongArray droppedThrough = new AtomicLongArray(DROPPED_BUCKETS);
    // Owned by the publishing thread: every append in order, so the globally oldest event leaves first.
    private ArrayDeque<Retained> appendOrder = new ArrayDeque<>();
    private long retainedEntries;
    // Written by the publishing thread, read by anyone (metrics, tests).
    private volatile long retainedBytes;
    // Every event up to this one is gone for every topic: the log lost it before this node could keep it.
    private volatile long forgottenThrough;

    ReplayStore(ReplayLimits limits) {
        this.limits = limits;
    }

    /** Publisher only. Keeps a frame for replay, evicting the oldest events to stay within the byte budget. */
    void append(String topic, long sequence, byte[] frame, long nowMillis) {
        ReplayLog log = logs.computeIfAbsent(topic, t -> new ReplayLog(limits.eventsPerTopic()));
        byte[] evicted = log.append(sequence, frame, nowMillis);
        long bytes = retainedBytes + cost(frame);
        if (evicted != null) {
            bytes -= cost(evicted);
            retainedEntries--;
        }
        retainedEntries++;
        appendOrder.addLast(new Retained(topic, log, sequence));
        retainedBytes = bytes;
        while (retainedBytes > limits.totalBytes()) {
            evictOldest();
        }
        if (appendOrder.size() > 2 * retainedEntries + 1024) {
            compactAppendOrder();
        }
    }

    /** Publisher only. Events up to {@code sequence} can no longer be replayed, whatever their topic. */
    void forgetThrough(long sequence) {
        forgottenThrough = Math.max(forgottenThrough, sequence);
    }

    /** Publisher only. Forgets the logs of topics that were published nothing for the configured time. */
    void expireIdle(long nowMillis) {
        long cutoff = nowMillis - limits.topicExpiryMillis();
        for (Map.Entry<String, ReplayLog> entry : logs.entrySet()) {
            ReplayLog log = entry.getValue();
            if (log.lastAppendMillis() <= cutoff) {
                for (byte[] frame = log.evictOldestIfAny(); frame != null; frame = log.evictOldestIfAny()) {
                    retainedBytes -= cost(frame);
                }
                drop(entry.getKey(), log);
            }
        }
        compactAppendOrder();
    }

    /**
     * Any thread. The events of {@code topics} after {@code after} and up to {@code through}, merged in id order,
     * as many as fit {@code maxBytes} (at least one). Null when one topic lost events after {@code after}.
     */
    ReplayPage read(Collection<String> topics, long after, long through, long maxBytes) {
        if (after < forgottenThrough) {
            return null;
        }
        List<List<ReplayLog.Entry>> perTopic = new ArrayList<>(topics.size());
        List<String> runTopics = new ArrayList<>(topics.size());
        long horizon = Long.MAX_VALUE; // beyond the last entry of a topic cut short, another page must follow
        for (String topic : topics) {
            ReplayLog log = logs.get(topic);
            if (log == null) {
                if (after < droppedThrough.get(bucket(topic))) {
                    return null; // the topic's log expired or was evicted with events this reader never got
                }
                continue;
            }
            List<ReplayLog.Entry> entries = new ArrayList<>();
            ReplayLog.Copy copy = log.copyRange(after, through, maxBytes, entries);
            if (copy == ReplayLog.Copy.LOST) {
                return null;
            }
            if (copy == ReplayLog.Copy.PART) {
                horizon = Math.min(horizon, entries.get(entries.size() - 1).sequence());
            }
            if (!entries.isEmpty()) {
                perTopic.add(entries);
                runTopics.add(topic);
            }
        }
        return ReplayPage.merge(perTopic, runTopics, horizon, maxBytes);
    }

    long retainedBytes() {
        return retainedBytes;
    }

    /** Topics that hold events now. */
    int topicCount() {
        return logs.size();
    }

    private void evictOldest() {
        Retained oldest = appendOrder.pollFirst();
        byte[] frame = oldest.log().evictIfOldest(oldest.sequence());
        if (frame == null) {
            return; // it already left its topic's ring, or the whole log expired
        }
        retainedBytes -= cost(frame);
        retainedEntries--;
        if (oldest.log().isEmpty()) {
            drop(oldest.topic(), oldest.log());
        }
    }

    private void drop(String topic, ReplayLog log) {
        // The watermark first: a reader that finds no log must already see how far it reached.
        droppedThrough.accumulateAndGet(bucket(topic), log.newestSequence(), Math::max);
        logs.remove(topic, log);
    }

    // Drops queue entries whose event already left by another way, so the queue stays proportional to what is kept.
    private void compactAppendOrder() {
        ArrayDeque<Retained> kept = new ArrayDeque<>(Math.max(16, (int) retainedEntries));
        for (Retained retained : appendOrder) {
            if (logs.get(retained.topic()) == retained.log() && retained.log().holds(retained.sequence())) {
                kept.addLast(retained);
            }
        }
        appendOrder = kept;
        retainedEntries = kept.size();
    }

    private static int bucket(String topic) {
        return Math.floorMod(topic.hashCode() * 0x9E3779B9, DROPPED_BUCKETS);
    }

    private static long cost(byte[] frame) {
        return frame.length + ENTRY_OVERHEAD_BYTES;
    }

    private record Retained(String topic, ReplayLog log, long sequence) {
    }
}
