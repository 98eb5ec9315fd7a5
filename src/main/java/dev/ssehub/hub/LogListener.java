package dev.ssehub.hub;

/** What an {@link EventLog} feeds, from one thread at a time, in id order. */
public interface LogListener {

    /** An event of the log, with the id it was given. Ids increase from one call to the next within an epoch. */
    void deliver(EventId id, String topic, byte[] body);

    /**
     * No event up to {@code through} will be delivered: the log begins there for this node (at start, or in a new
     * epoch when the log lost its data), or this node fell behind and the log forgot what it did not read.
     */
    void skip(EventId through);
}
