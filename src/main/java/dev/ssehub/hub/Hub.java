package dev.ssehub.hub;

import dev.ssehub.wire.SseEncoder;
import dev.ssehub.wire.SseEvent;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Topics, event ids, the replay logs and the fan-out. Publishing assigns the next id, encodes the event once,
 * appends the bytes to the topic's replay log and offers the same bytes to every subscriber of the topic.
 *
 * <p>Publishing and subscribing share one lock, so a new subscriber gets its replay and then exactly the events
 * published after it: no gap and no duplicate at the seam. Nothing under the lock blocks: sinks only enqueue.
 */
public final class Hub {

    /** The type of the in-band notice sent when a reconnecting client asked for events the hub cannot replay. */
    public static final String MISSED_EVENT = "missed";

    /** How topic names look, as told to clients that send another. */
    public static final String TOPIC_RULE = "1 to 64 characters of A-Z a-z 0-9 _ . -";

    // Ends a stream whose replay did not fit its queue; the client is back at once and replays the rest.
    private static final byte[] REPLAY_PAGE_BREAK = SseEncoder.retry(100);

    private final long epoch;
    private final int replaySize;

    private final Object publishLock = new Object();
    // Written under publishLock; read by anyone.
    private volatile long lastSequence;
    // Guarded by publishLock.
    private final Map<String, ReplayLog> logs = new ConcurrentHashMap<>();

    private final Map<String, Set<EventSink>> subscribersByTopic = new ConcurrentHashMap<>();
    private final Map<EventSink, Set<String>> topicsBySubscriber = new ConcurrentHashMap<>();
    private volatile boolean shutDown;
    private volatile byte[] farewell = new byte[0];

    public Hub(int replaySize) {
        this(replaySize, System.currentTimeMillis());
    }

    Hub(int replaySize, long epoch) {
        if (replaySize < 1) {
            throw new IllegalArgumentException("replay size must be at least 1");
        }
        this.replaySize = replaySize;
        this.epoch = epoch;
    }

    /**
     * Publishes one event to a topic and returns its id. The event is in the replay log when this returns.
     *
     * @throws IllegalArgumentException when the type contains CR or LF
     * @throws IllegalStateException after {@link #shutdown}
     */
    public EventId publish(String topic, String type, String data) {
        // Encoded before taking the lock; only the id line is added under it.
        byte[] body = SseEncoder.encode(new SseEvent(null, type, data, null, null));
        List<EventSink> overflowed = null;
        EventId id;
        synchronized (publishLock) {
            if (shutDown) {
                throw new IllegalStateException("the hub is shut down");
            }
            id = new EventId(epoch, lastSequence + 1);
            byte[] frame = withIdLine(id, body);
            logs.computeIfAbsent(topic, t -> new ReplayLog(replaySize)).append(id.sequence(), frame);
            lastSequence = id.sequence();
            Set<EventSink> subscribers = subscribersByTopic.get(topic);
            if (subscribers != null) {
                for (EventSink sink : subscribers) {
                    if (!sink.offer(frame)) {
                        overflowed = overflowed == null ? new ArrayList<>() : overflowed;
                        overflowed.add(sink);
                    }
                }
            }
        }
        if (overflowed != null) {
            overflowed.forEach(this::drop);
        }
        return id;
    }

    /**
     * Registers a sink for some topics. When {@code lastEventId} is given, the sink first receives the events after
     * it, in order; when they cannot be replayed (too old, unknown, malformed) it receives one {@value #MISSED_EVENT}
     * event instead. Then it receives every event published later.
     */
    public void subscribe(Collection<String> topics, String lastEventId, EventSink sink) {
        Set<String> topicSet = Set.copyOf(topics);
        synchronized (publishLock) {
            if (shutDown) {
                sink.finish(farewell);
                return;
            }
            if (lastEventId != null && !replay(topicSet, lastEventId, sink)) {
                sink.finish(REPLAY_PAGE_BREAK);
                return;
            }
            topicsBySubscriber.put(sink, topicSet);
            for (String topic : topicSet) {
                subscribersByTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(sink);
            }
        }
    }

    /** Forgets a sink; called when its client went away. Idempotent. */
    public void unsubscribe(EventSink sink) {
        Set<String> topics = topicsBySubscriber.remove(sink);
        if (topics != null) {
            for (String topic : topics) {
                Set<EventSink> subscribers = subscribersByTopic.get(topic);
                if (subscribers != null) {
                    subscribers.remove(sink);
                }
            }
        }
    }

    /**
     * Offers a heartbeat comment to every subscriber, each of which may skip it (see {@link EventSink#keepAlive}),
     * dropping those that are full.
     */
    public void keepAlive(byte[] comment) {
        for (EventSink sink : topicsBySubscriber.keySet()) {
            if (!sink.keepAlive(comment)) {
                drop(sink);
            }
        }
    }

    /** Ends every stream with a farewell (a retry hint) and refuses further publishing and subscribing. */
    public void shutdown(byte[] farewell) {
        synchronized (publishLock) {
            this.farewell = farewell;
            shutDown = true;
        }
        for (EventSink sink : List.copyOf(topicsBySubscriber.keySet())) {
            unsubscribe(sink);
            sink.finish(farewell);
        }
    }

    /** Ends every remaining stream at once; the last step of a shutdown. */
    public void abortAll() {
        for (EventSink sink : List.copyOf(topicsBySubscriber.keySet())) {
            drop(sink);
        }
    }

    /** Whether a name follows {@link #TOPIC_RULE}. */
    public static boolean isValidTopic(String name) {
        if (name == null || name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    public int subscriberCount() {
        return topicsBySubscriber.size();
    }

    /** The id of the newest event, or null before the first one. */
    public EventId lastId() {
        long sequence = lastSequence;
        return sequence == 0 ? null : new EventId(epoch, sequence);
    }

    private void drop(EventSink sink) {
        unsubscribe(sink);
        sink.abort();
    }

    // Under publishLock. False when the sink could not take the whole replay; it holds the oldest part.
    private boolean replay(Set<String> topics, String lastEventId, EventSink sink) {
        EventId last = EventId.parse(lastEventId);
        if (last == null) {
            return sink.offer(missed(lastEventId, "malformed"));
        }
        if (last.epoch() != epoch || last.sequence() > lastSequence) {
            return sink.offer(missed(lastEventId, "unknown"));
        }
        List<ReplayLog.Entry> entries = new ArrayList<>();
        for (String topic : topics) {
            ReplayLog log = logs.get(topic);
            if (log == null) {
                continue;
            }
            if (!log.covers(last.sequence())) {
                return sink.offer(missed(lastEventId, "too-old"));
            }
            log.collectAfter(last.sequence(), entries);
        }
        entries.sort(Comparator.comparingLong(ReplayLog.Entry::sequence));
        for (ReplayLog.Entry entry : entries) {
            if (!sink.offer(entry.frame())) {
                return false;
            }
        }
        return true;
    }

    private byte[] missed(String lastEventId, String reason) {
        EventId head = lastId();
        String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(lastEventId));
        String data = "{\"lastEventId\":\"" + quoted + "\",\"reason\":\"" + reason + "\"}";
        return SseEncoder.encode(new SseEvent(head == null ? null : head.toString(), MISSED_EVENT, data, null, null));
    }

    private static byte[] withIdLine(EventId id, byte[] body) {
        byte[] idLine = ("id: " + id + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[idLine.length + body.length];
        System.arraycopy(idLine, 0, frame, 0, idLine.length);
        System.arraycopy(body, 0, frame, idLine.length, body.length);
        return frame;
    }
}
