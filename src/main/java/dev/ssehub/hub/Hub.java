package dev.ssehub.hub;

import dev.ssehub.wire.SseEncoder;
import dev.ssehub.wire.SseEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Topics, the replay logs and the fan-out. Publishing encodes the event once and appends it to the {@link EventLog},
 * which gives it its id and feeds it back, in id order with the events of every other node: the hub then appends
 * the bytes to the topic's replay log and offers the same bytes to every subscriber of the topic.
 *
 * <p>Publishing and registering a subscriber share one lock, so the seam between a replay and the live stream is
 * exact: a reconnecting subscriber is registered behind a {@link ReplayGate} at a known head, its replay (the
 * events up to that head) is copied outside the lock, and the live events that arrived meanwhile follow it. Nothing
 * under the lock blocks: sinks only enqueue.
 */
public final class Hub {

    /** The type of the in-band notice sent when a reconnecting client asked for events the hub cannot replay. */
    public static final String MISSED_EVENT = "missed";

    /** How topic names look, as told to clients that send another. */
    public static final String TOPIC_RULE = "1 to 64 characters of A-Z a-z 0-9 _ . -";

    // Ends a stream given one page of a longer replay; the client is back at once for the next page.
    private static final byte[] REPLAY_PAGE_BREAK = SseEncoder.retry(100);

    private final ReplayLimits limits;
    private final EventLog log;
    private final LongSupplier clock;
    private final HubObserver observer;

    private final Object publishLock = new Object();
    // Written under publishLock by the log's feed; read by anyone. The epoch is 0 until the log started.
    private volatile long epoch;
    private volatile long lastSequence;
    // Appended and evicted under publishLock; read by replays without it. A new epoch gets a new store.
    private volatile ReplayStore store;
    // Guarded by publishLock: subscribers waiting for an id this node has not received yet.
    private int waitingForHead;

    private final Subscribers subscribers = new Subscribers();
    private volatile boolean shutDown;
    private volatile Supplier<byte[]> farewell = () -> new byte[0];

    /** A hub on {@code log}; nothing flows until {@link #start}. */
    public Hub(ReplayLimits limits, EventLog log, HubObserver observer) {
        this(limits, log, System::currentTimeMillis, observer);
    }

    Hub(ReplayLimits limits, EventLog log, LongSupplier clock) {
        this(limits, log, clock, HubObserver.NONE);
    }

    private Hub(ReplayLimits limits, EventLog log, LongSupplier clock, HubObserver observer) {
        this.limits = limits;
        this.log = log;
        this.clock = clock;
        this.observer = observer;
        this.store = new ReplayStore(limits);
    }

    /** Starts reading the log; with a shared log, may block until this node has read what the log holds. */
    public Hub start() {
        log.start(new Feed());
        return this;
    }

    /**
     * Publishes one event to a topic and returns its id, once the log holds it. With the log of a single node, the
     * event is also in the replay log and queued for every subscriber when this returns.
     *
     * @throws IllegalArgumentException when the type contains CR or LF
     * @throws EventTooLargeException when the encoded event is larger than the limit; nothing was published
     * @throws EventLogUnavailableException when the log cannot be reached; nothing was published
     * @throws IllegalStateException after {@link #shutdown}
     */
    public EventId publish(String topic, String type, String data) {
        return publish(topic, type, data, null);
    }

    /** As {@link #publish(String, String, String)}; a key used in the last minutes returns that publish's id. */
    public EventId publish(String topic, String type, String data, String idempotencyKey) {
        // Encoded once, here; the id line is added when the log feeds it back.
        byte[] body = SseEncoder.encode(new SseEvent(null, type, data, null, null));
        int longestIdLine = 44; // "id: " + two 18-digit numbers and a dash + "\n", rounded up
        if (body.length + longestIdLine > limits.maxEventBytes()) {
            throw new EventTooLargeException(body.length + longestIdLine, limits.maxEventBytes());
        }
        if (shutDown) {
            throw new IllegalStateException("the hub is shut down");
        }
        EventId id = log.append(topic, body, idempotencyKey);
        observer.published();
        return id;
    }

    /**
     * Registers a sink for some topics. When {@code lastEventId} is given, the sink first receives the events after
     * it, in order; when they cannot be replayed (too old, unknown, malformed) it receives one {@value #MISSED_EVENT}
     * event instead. Without it, the sink first receives the newest id alone (once there is one), a position that
     * dispatches no event. Then it receives every event published later. A replay longer than one page ends the stream
     * after the page with a short {@code retry:}, and the client comes back from its last id for the next.
     */
    public void subscribe(Collection<String> topics, String lastEventId, EventSink sink) {
        subscribe(topics, lastEventId, sink, false);
    }

    /**
     * As {@link #subscribe(Collection, String, EventSink)}; with {@code labelled}, every event (replayed or live)
     * carries its topic in a line {@code topic: <name>} after its id, a field that EventSource ignores by the
     * spec's rule for unknown fields and that a reader of its own uses to route events.
     */
    public void subscribe(Collection<String> topics, String lastEventId, EventSink sink, boolean labelled) {
        Set<String> topicSet = Set.copyOf(topics);
        if (lastEventId == null) {
            synchronized (publishLock) {
                if (!shutDown) {
                    // Its position before any live event: a client dropped before its first event resumes from it.
                    EventId head = lastId();
                    if (head != null) {
                        sink.offer(Frames.position(head));
                    }
                    subscribers.register(sink, topicSet, sink, labelled);
                    return;
                }
            }
            sink.finish(farewell.get());
            return;
        }
        ReplayGate gate = new ReplayGate(sink, limits.pageBytes());
        EventId last = EventId.parse(lastEventId);
        Position head;
        synchronized (publishLock) {
            if (shutDown) {
                sink.finish(farewell.get());
                return;
            }
            awaitHead(last);
            head = new Position(epoch, lastSequence, store);
            subscribers.register(sink, topicSet, gate, labelled);
        }
        if (!replay(topicSet, lastEventId, last, head, sink, labelled)) {
            unsubscribe(sink);
            sink.finish(REPLAY_PAGE_BREAK);
        } else if (!gate.open()) {
            drop(sink);
        }
    }

    /** Forgets a sink; called when its client went away. Idempotent. */
    public void unsubscribe(EventSink sink) {
        subscribers.remove(sink);
    }

    /**
     * Offers a heartbeat comment to every subscriber, each of which may skip it (see {@link EventSink#keepAlive}),
     * dropping those that are full.
     */
    public void keepAlive(byte[] comment) {
        for (EventSink sink : subscribers.sinks()) {
            if (!sink.keepAlive(comment)) {
                drop(sink);
            }
        }
    }

    /** Stops the log: nothing more is delivered. Part of a shutdown, after {@link #shutdown}. */
    public void stopLog() {
        log.stop();
    }

    /** Forgets the replay logs of topics that were published nothing for {@link ReplayLimits#topicExpiryMillis}. */
    public void expireIdleTopics() {
        synchronized (publishLock) {
            store.expireIdle(clock.getAsLong());
        }
    }

    /**
     * Ends every stream with a farewell (a retry hint, drawn for each stream) and refuses further publishing and
     * subscribing.
     */
    public void shutdown(Supplier<byte[]> farewell) {
        synchronized (publishLock) {
            this.farewell = farewell;
            shutDown = true;
        }
        for (EventSink sink : List.copyOf(subscribers.sinks())) {
            unsubscribe(sink);
            sink.finish(farewell.get());
        }
    }

    /** Ends every remaining stream at once; the last step of a shutdown. */
    public void abortAll() {
        for (EventSink sink : List.copyOf(subscribers.sinks())) {
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
        return subscribers.count();
    }

    /** Topics that have at least one subscriber now. */
    public int subscribedTopicCount() {
        return subscribers.topicCount();
    }

    /** A topic and how many subscribers it has now. */
    public record TopicSubscribers(String topic, int subscribers) {
    }

    /**
     * The {@code n} topics with the most subscribers now, most first (ties by name). A walk over every subscribed
     * topic: fine for a status page asking every few seconds, not for a hot path.
     */
    public List<TopicSubscribers> busiestTopics(int n) {
        return subscribers.busiest(n);
    }

    /** Topics whose replay logs hold events now. */
    public int retainedTopicCount() {
        return store.topicCount();
    }

    /** Bytes the replay logs hold now, counting a small overhead per event. */
    public long retainedBytes() {
        return store.retainedBytes();
    }

    /** The id of the newest event, or null before the first one. */
    public EventId lastId() {
        long sequence = lastSequence;
        return sequence == 0 ? null : new EventId(epoch, sequence);
    }

    /** The epoch of the log's ids now; 0 before the log started. */
    public long epoch() {
        return epoch;
    }

    private void drop(EventSink sink) {
        unsubscribe(sink);
        sink.abort();
    }

    // Under publishLock: an id of this epoch that this node has not received yet was handed out by another node;
    // wait a moment for it rather than call it unknown.
    private void awaitHead(EventId last) {
        if (last == null || last.epoch() != epoch || last.sequence() <= lastSequence || log.catchUpMillis() == 0) {
            return;
        }
        long deadline = System.nanoTime() + log.catchUpMillis() * 1_000_000;
        waitingForHead++;
        try {
            for (long left = log.catchUpMillis(); left > 0 && last.epoch() == epoch && last.sequence() > lastSequence;
                    left = (deadline - System.nanoTime()) / 1_000_000) {
                publishLock.wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waitingForHead--;
        }
    }

    // Outside publishLock. Sends the events after `last` up to `head`, or a missed notice; false when the sink
    // holds a page of a longer replay, or could not take it.
    private boolean replay(Set<String> topics, String lastEventId, EventId last, Position head, EventSink sink,
            boolean labelled) {
        if (last == null) {
            observer.replayed(HubObserver.Replay.MALFORMED);
            return sink.offer(missed(lastEventId, "malformed", head));
        }
        if (last.epoch() != head.epoch() || last.sequence() > head.sequence()) {
            observer.replayed(HubObserver.Replay.UNKNOWN);
            return sink.offer(missed(lastEventId, "unknown", head));
        }
        ReplayPage page = head.store().read(topics, last.sequence(), head.sequence(), limits.pageBytes());
        if (page == null) {
            observer.replayed(HubObserver.Replay.TOO_OLD);
            return sink.offer(missed(lastEventId, "too-old", head));
        }
        observer.replayed(page.complete() ? HubObserver.Replay.EXACT : HubObserver.Replay.PAGED);
        for (int i = 0; i < page.frames().size(); i++) {
            byte[] frame = page.frames().get(i);
            if (!sink.offer(labelled ? Frames.withTopicLine(frame, page.topics().get(i)) : frame)) {
                return false;
            }
        }
        return page.complete();
    }

    // Its id is the head at registration; before the log started there is no position.
    private static byte[] missed(String lastEventId, String reason, Position head) {
        return Frames.missed(lastEventId, reason, head.epoch() == 0 ? null : head.id());
    }

    /** Where the log stood when a subscriber registered, and the replay logs of that epoch. */
    private record Position(long epoch, long sequence, ReplayStore store) {

        EventId id() {
            return new EventId(epoch, sequence);
        }
    }

    /** How the log feeds the hub: one thread at a time, in id order. */
    private final class Feed implements LogListener {

        @Override
        public void deliver(EventId id, String topic, byte[] body) {
            byte[] frame = Frames.withIdLine(id, body);
            List<EventSink> overflowed;
            synchronized (publishLock) {
                if (id.epoch() != epoch) {
                    startOver(new EventId(id.epoch(), id.sequence() - 1));
                }
                store.append(topic, id.sequence(), frame, clock.getAsLong());
                lastSequence = id.sequence();
                Set<EventSink> plain = subscribers.plain(topic);
                Set<EventSink> labelled = subscribers.labelled(topic);
                overflowed = offer(plain, frame);
                if (labelled != null) {
                    overflowed = join(overflowed, offer(labelled, Frames.withTopicLine(frame, topic)));
                }
                observer.fannedOut(frame, Subscribers.sizeOf(plain) + Subscribers.sizeOf(labelled));
                if (waitingForHead > 0) {
                    publishLock.notifyAll();
                }
            }
            dropAll(overflowed);
        }

        @Override
        public void skip(EventId through) {
            List<EventSink> overflowed;
            synchronized (publishLock) {
                if (through.epoch() == epoch && through.sequence() <= lastSequence) {
                    return; // nothing this node has not seen
                }
                String reason = through.epoch() == epoch ? "too-old" : "unknown";
                EventId previous = lastId();
                if (through.epoch() == epoch) {
                    store.forgetThrough(through.sequence());
                    lastSequence = through.sequence();
                } else {
                    startOver(through);
                }
                // Live subscribers did not get what the log lost: each is told, then carries on.
                Position head = new Position(epoch, lastSequence, store);
                overflowed = previous == null ? null
                        : offer(subscribers.targets(), missed(previous.toString(), reason, head));
                if (waitingForHead > 0) {
                    publishLock.notifyAll();
                }
            }
            dropAll(overflowed);
        }

        // Under publishLock: a new epoch; what the replay logs held belongs to the old one.
        private void startOver(EventId through) {
            store = new ReplayStore(limits);
            store.forgetThrough(through.sequence());
            epoch = through.epoch();
            lastSequence = through.sequence();
        }

        // Under publishLock; returns the targets that could not take the frame.
        private List<EventSink> offer(Collection<EventSink> targets, byte[] frame) {
            List<EventSink> overflowed = null;
            if (targets != null && !shutDown) {
                for (EventSink target : targets) {
                    if (!target.offer(frame)) {
                        overflowed = overflowed == null ? new ArrayList<>() : overflowed;
                        overflowed.add(target);
                    }
                }
            }
            return overflowed;
        }

        private static List<EventSink> join(List<EventSink> some, List<EventSink> more) {
            if (some == null || more == null) {
                return some == null ? more : some;
            }
            some.addAll(more);
            return some;
        }

        private void dropAll(List<EventSink> overflowed) {
            if (overflowed != null) {
                overflowed.forEach(target -> drop(target instanceof ReplayGate gate ? gate.sink : target));
            }
        }
    }

}
