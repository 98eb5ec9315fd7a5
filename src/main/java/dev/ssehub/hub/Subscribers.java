package dev.ssehub.hub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who subscribed to what: by topic for the fan-out, by sink for leaving. A topic has an entry only while it has
 * subscribers; the last one to leave removes it, so names that were subscribed to once cost nothing afterwards.
 * Registering happens under the hub's publish lock; leaving and reading from any thread.
 */
final class Subscribers {

    // Those that get the frames as they are, and those that asked for each event's topic as a line of its own.
    private final Map<String, Set<EventSink>> plainByTopic = new ConcurrentHashMap<>();
    private final Map<String, Set<EventSink>> labelledByTopic = new ConcurrentHashMap<>();
    private final Map<EventSink, Registration> bySink = new ConcurrentHashMap<>();

    /** What a subscribed sink asked for, and what the fan-out offers to: the sink, or its gate while it replays. */
    private record Registration(Set<String> topics, EventSink target, boolean labelled) {
    }

    void register(EventSink sink, Set<String> topics, EventSink target, boolean labelled) {
        bySink.put(sink, new Registration(topics, target, labelled));
        Map<String, Set<EventSink>> byTopic = labelled ? labelledByTopic : plainByTopic;
        for (String topic : topics) {
            byTopic.compute(topic, (name, subscribers) -> {
                Set<EventSink> set = subscribers != null ? subscribers : ConcurrentHashMap.newKeySet();
                set.add(target);
                return set;
            });
        }
    }

    /** Forgets a sink; idempotent. */
    void remove(EventSink sink) {
        Registration registration = bySink.remove(sink);
        if (registration == null) {
            return;
        }
        Map<String, Set<EventSink>> byTopic = registration.labelled() ? labelledByTopic : plainByTopic;
        for (String topic : registration.topics()) {
            byTopic.computeIfPresent(topic, (name, subscribers) -> {
                subscribers.remove(registration.target());
                return subscribers.isEmpty() ? null : subscribers;
            });
        }
    }

    /** The targets that get a topic's frames as they are; null when there are none. */
    Set<EventSink> plain(String topic) {
        return plainByTopic.get(topic);
    }

    /** The targets that get a topic's frames with its topic line; null when there are none. */
    Set<EventSink> labelled(String topic) {
        return labelledByTopic.get(topic);
    }

    /** Every subscribed sink (not its gate). */
    Set<EventSink> sinks() {
        return bySink.keySet();
    }

    /** What the fan-out offers to for every sink: the sink, or its gate. */
    List<EventSink> targets() {
        return bySink.values().stream().map(Registration::target).toList();
    }

    int count() {
        return bySink.size();
    }

    int topicCount() {
        long labelledOnly = labelledByTopic.keySet().stream().filter(t -> !plainByTopic.containsKey(t)).count();
        return plainByTopic.size() + (int) labelledOnly;
    }

    /** The {@code n} topics with the most subscribers, most first (ties by name); O(topics). */
    List<Hub.TopicSubscribers> busiest(int n) {
        Comparator<Hub.TopicSubscribers> busiestFirst = Comparator.comparingInt(Hub.TopicSubscribers::subscribers)
                .reversed().thenComparing(Hub.TopicSubscribers::topic);
        Map<String, Integer> counts = new HashMap<>();
        plainByTopic.forEach((topic, subscribers) -> counts.merge(topic, subscribers.size(), Integer::sum));
        labelledByTopic.forEach((topic, subscribers) -> counts.merge(topic, subscribers.size(), Integer::sum));
        // The n busiest so far, the least busy of them at the head, so that each topic costs O(log n).
        PriorityQueue<Hub.TopicSubscribers> busiest = new PriorityQueue<>(busiestFirst.reversed());
        counts.forEach((topic, subscribers) -> {
            busiest.add(new Hub.TopicSubscribers(topic, subscribers));
            if (busiest.size() > n) {
                busiest.poll();
            }
        });
        List<Hub.TopicSubscribers> sorted = new ArrayList<>(busiest);
        sorted.sort(busiestFirst);
        return sorted;
    }

    static int sizeOf(Collection<EventSink> targets) {
        return targets == null ? 0 : targets.size();
    }
}
