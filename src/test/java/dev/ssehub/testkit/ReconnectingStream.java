package dev.ssehub.testkit;

import dev.ssehub.wire.SseEvent;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An event stream read over plain HTTP ({@link SseConnection}) that resumes by hand, as a program without an SSE
 * client would: whenever its connection ends, {@link #poll} opens a new one at once with {@code Last-Event-ID} set
 * to the last id received. Like a browser's EventSource, it gives up on an answer other than 200. One thread polls.
 */
public final class ReconnectingStream implements AutoCloseable {

    private final URI uri;
    // Written by the polling thread only; read by the test once polling has stopped.
    private final List<SseEvent> events = new ArrayList<>();
    private final List<String> drops = new ArrayList<>();
    private SseConnection connection;
    private int connections = 1;
    private String refusal;
    private boolean closed;

    private ReconnectingStream(URI uri, SseConnection connection) {
        this.uri = uri;
        this.connection = connection;
    }

    /** Opens the stream, after {@code lastEventId} unless it is null, and fails the test unless it answers 200. */
    public static ReconnectingStream open(URI uri, String lastEventId) throws IOException {
        SseConnection first = SseConnection.open(uri, lastEventId == null ? Map.of() : Map.of("Last-Event-ID",
                lastEventId));
        if (first.status() != 200) {
            first.close();
            assertEquals(200, first.status(), "the first GET of " + uri);
        }
        return new ReconnectingStream(uri, first);
    }

    /** Takes the events that arrived; when the connection has ended, opens the next one with Last-Event-ID. */
    public synchronized void poll() {
        if (closed || refusal != null) {
            return;
        }
        if (connection != null) {
            boolean ended = connection.hasEnded(); // before taking: what came before the end is all taken below
            events.addAll(connection.events().takeArrived());
            if (!ended) {
                return;
            }
            connection.close();
            Throwable failure = connection.failure();
            drops.add(failure == null ? "ended by the server" : failure.toString());
            connection = null;
        }
        String lastId = lastEventId();
        try {
            SseConnection next = SseConnection.open(uri, lastId == null ? Map.of() : Map.of("Last-Event-ID", lastId));
            if (next.status() != 200) {
                refusal = "a reconnect with Last-Event-ID " + lastId + " was answered " + next.status();
                next.close();
                return;
            }
            connection = next;
            connections++;
        } catch (IOException e) {
            drops.add("reconnecting: " + e); // the next poll tries again
        }
    }

    /** Every event received, over all connections, in order. */
    public synchronized List<SseEvent> events() {
        return List.copyOf(events);
    }

    /** The id the next reconnect sends: the last id received, or null. */
    public synchronized String lastEventId() {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).id() != null) {
                return events.get(i).id();
            }
        }
        return null;
    }

    /** How many connections answered 200, the first one included. */
    public synchronized int connections() {
        return connections;
    }

    /** Why each connection ended, in order. */
    public synchronized List<String> drops() {
        return List.copyOf(drops);
    }

    /** Why it gave up, or null while it still reads. */
    public synchronized String refusal() {
        return refusal;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (connection != null) {
            connection.close();
        }
    }
}
