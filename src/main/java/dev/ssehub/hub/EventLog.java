package dev.ssehub.hub;

/**
 * Where events get their ids and are kept for every node: in this process, or shared by several nodes in a broker.
 * The hub appends through it and is fed from it, in id order, whichever node appended.
 */
public interface EventLog {

    /**
     * Starts feeding {@code hub}: first {@link LogListener#skip} to where the log begins for this node, then every
     * event in id order, including those this node appends. May block until the log is read up to its end.
     */
    void start(LogListener hub);

    /**
     * Appends an encoded event (its lines without the id) and returns the id it was given, once the log holds it.
     * With an idempotency key already used for an append in the last minutes, appends nothing and returns the first
     * id.
     *
     * @throws EventLogUnavailableException when the log cannot be reached; nothing was appended
     */
    EventId append(String topic, byte[] body, String idempotencyKey);

    /**
     * How long a subscriber may wait for this node to receive an id that another node already handed out: a client
     * that moved to a lagging node would otherwise be told its id is unknown. Zero for a log of one node.
     */
    default long catchUpMillis() {
        return 0;
    }

    /** Stops feeding the hub and releases what the log holds (threads, connections). Never throws. */
    void stop();
}
