package dev.ssehub.deploy;

import dev.ssehub.client.EventSourceClient;
import dev.ssehub.client.EventSourceListener;
import dev.ssehub.testkit.ReconnectingStream;
import dev.ssehub.wire.SseEvent;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** One stream of {@link ClusterFailoverIT} that resumes with Last-Event-ID after a drop, whatever reads it. */
interface ResumingReader extends AutoCloseable {

    String name();

    /** Every event received so far, over all connections. */
    List<SseEvent> events();

    /** Connections that were answered 200. */
    int connections();

    /** Why it stopped for good, or null. */
    String gaveUp();

    /** Why each of its connections ended, in order. */
    List<String> drops();

    /** Stops reading and drops the connection. */
    @Override
    void close();

    /** ssehub's Java client: it reconnects by itself, after the server's retry delay, with Last-Event-ID. */
    final class JavaClient implements ResumingReader, EventSourceListener {

        private final String name;
        // Written by the client's thread.
        private final List<SseEvent> events = new CopyOnWriteArrayList<>();
        private final AtomicInteger opens = new AtomicInteger();
        private final List<String> drops = new CopyOnWriteArrayList<>();
        private volatile String gaveUp;
        private EventSourceClient client;

        private JavaClient(String name) {
            this.name = name;
        }

        /** Starts a client of {@code stream} that begins after {@code lastEventId}; it connects on its own thread. */
        static JavaClient connect(String name, URI stream, String lastEventId) {
            JavaClient reader = new JavaClient(name);
            reader.client = EventSourceClient.builder(stream).lastEventId(lastEventId).listener(reader).connect();
            return reader;
        }

        @Override
        public void onOpen() {
            opens.incrementAndGet();
        }

        @Override
        public void onEvent(SseEvent event) {
            events.add(event);
        }

        @Override
        public void onError(Throwable error, boolean willRetry) {
            drops.add(error.toString());
            if (!willRetry) {
                gaveUp = error.toString();
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<SseEvent> events() {
            return List.copyOf(events);
        }

        @Override
        public int connections() {
            return opens.get();
        }

        @Override
        public String gaveUp() {
            return gaveUp;
        }

        @Override
        public List<String> drops() {
            return List.copyOf(drops);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** A plain HTTP reader, reconnecting by hand with Last-Event-ID as soon as its connection ends. */
    record PlainReader(String name, ReconnectingStream stream) implements ResumingReader {

        @Override
        public List<SseEvent> events() {
            return stream.events();
        }

        @Override
        public int connections() {
            return stream.connections();
        }

        @Override
        public String gaveUp() {
            return stream.refusal();
        }

        @Override
        public List<String> drops() {
            return stream.drops();
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
