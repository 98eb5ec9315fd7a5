package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.testkit.RawStreams;
import dev.ssehub.testkit.RecordingListener;
import dev.ssehub.testkit.SlowToStopServlet;
import dev.ssehub.testkit.SseConnection;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How streams end when their clients vanish or the webapp goes away, against embedded Jetty 12 and Tomcat 11: a
 * client that left holds no place a live client needs, every stream gets its farewell on undeploy, and clients
 * dropping in a crowd leave no stream open and no container error behind.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "tomcat"})
class StreamLifecycleTest extends ContainerTest {

    private static final Map<String, String> QUIET = Map.of("ssehub.tickInterval", "0");

    @Test
    void clientsThatLeftRightAfterTheirRequestDoNotKeepALiveClientOut() throws Exception {
        int maxStreams = 20;
        start(Map.of("ssehub.tickInterval", "0", "ssehub.maxStreams", String.valueOf(maxStreams)));
        for (int i = 0; i < maxStreams; i++) {
            try (Socket gone = connect()) {
                gone.getOutputStream().write(RawStreams.request(container.uri("stream")));
            }
        }
        awaitUntil(() -> runtime().admission().openStreams() == maxStreams, "every dead stream counted open");

        SseConnection live = open("stream");

        assertEquals(200, live.status());
        awaitUntil(() -> !live.events().retries().isEmpty(), "the opening retry hint");
        assertEquals(List.of(3000L), live.events().retries(), "admitted, not told to come back later");
        EventId id = hub().publish("clock", null, "welcome");
        assertEquals(new SseEvent(id.toString(), null, "welcome", null, null), live.events().awaitEvent(TIMEOUT));
        assertFalse(live.hasEnded());
        awaitSubscribers(1); // the dead streams were found and closed
    }

    @Test
    void clientsThatLeftAfterTheirStreamStartedDoNotKeepALiveClientOut() throws Exception {
        int maxStreams = 10;
        start(Map.of("ssehub.tickInterval", "0", "ssehub.maxStreams", String.valueOf(maxStreams)));
        for (int i = 0; i < maxStreams; i++) {
            try (Socket gone = connect()) {
                gone.getOutputStream().write(RawStreams.request(container.uri("stream")));
                readThroughTheRetryHint(gone);
            } // everything sent was read, so closing sends a FIN, not a reset: the server's next write succeeds
        }
        awaitUntil(() -> runtime().admission().openStreams() == maxStreams, "every dead stream counted open");

        SseConnection live = open("stream");

        assertEquals(200, live.status());
        awaitUntil(() -> !live.events().retries().isEmpty(), "the opening retry hint");
        assertEquals(List.of(3000L), live.events().retries(), "admitted, not told to come back later");
        awaitSubscribers(1);
        EventId id = hub().publish("clock", null, "welcome");
        assertEquals(new SseEvent(id.toString(), null, "welcome", null, null), live.events().awaitEvent(TIMEOUT));
    }

    @Test
    void undeployEndsEachOfAThousandStreamsWithTheFarewell() throws Exception {
        // Another part of the webapp takes a while to stop: Tomcat times out async requests meanwhile.
        // No drain spread, so that every farewell is exactly `retry: 3000`.
        start(Map.of("ssehub.tickInterval", "0", "ssehub.heartbeatInterval", "600000", "ssehub.drainTime", "0",
                SlowToStopServlet.PARAM, "1500"));
        int count = 1000;
        try (RawStreams streams = RawStreams.open(container.uri("stream"), count)) {
            awaitSubscribers(count);
            EventId id = hub().publish("clock", null, "before undeploy");

            container.stopWebapp();

            streams.awaitAllEnded(TIMEOUT);
            List<Object> expected = List.of(new RecordingListener.Retry(3000),
                    new SseEvent(id.toString(), null, "before undeploy", null, null),
                    new RecordingListener.Retry(3000));
            List<Integer> wrong = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (!expected.equals(RecordingListener.parse(streams.body(i)))) {
                    wrong.add(i);
                }
            }
            assertEquals(List.of(), wrong, wrong.size() + " of " + count + " streams did not get exactly the event"
                    + " and the farewell; the first: " + (wrong.isEmpty() ? "" : RecordingListener.parse(
                            streams.body(wrong.get(0)))));
        }
    }

    /**
     * Tomcat logged "Calling [asyncComplete()] is not valid for a request with Async state [COMPLETING]" when ssehub
     * completed a request after a failed write while Tomcat's own error handling was completing it. Tomcat 11 refuses
     * such a call from an application thread once the listeners' onError has returned, so the overlap left is a few
     * instructions wide: a clean run here is a guard rather than proof.
     */
    @Test
    void clientsDroppingWhileEventsFlowLeaveNoStreamOpenAndNoContainerError() throws Exception {
        start(QUIET);
        Logger containerLog = Logger.getLogger("org.apache"); // held: the log manager keeps loggers weakly
        List<String> severe = new CopyOnWriteArrayList<>();
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    severe.add(record.getLoggerName() + ": " + record.getMessage()
                            + (record.getThrown() == null ? "" : " / " + record.getThrown()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        containerLog.addHandler(recorder);
        AtomicBoolean done = new AtomicBoolean();
        Thread publisher = new Thread(() -> {
            while (!done.get()) {
                hub().publish("churn", null, "x");
                LockSupport.parkNanos(500_000);
            }
        });
        publisher.start();
        try {
            URI uri = container.uri("stream?topic=churn");
            for (int round = 0; round < 20; round++) {
                List<Socket> clients = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    Socket client = connect();
                    client.getOutputStream().write(RawStreams.request(uri));
                    clients.add(client);
                }
                for (Socket client : clients) {
                    client.setSoTimeout((int) TIMEOUT.toMillis());
                    InputStream in = client.getInputStream();
                    assertTrue(in.read() >= 0, "the stream started");
                    client.setSoLinger(true, 0); // closing resets the connection, as a vanished client does
                    client.close();
                }
            }
            // Events keep coming, so that every dropped stream meets a failing write.
            awaitUntil(() -> runtime().admission().openStreams() == 0 && hub().subscriberCount() == 0,
                    "every stream closed");
        } finally {
            done.set(true);
            publisher.join();
            containerLog.removeHandler(recorder);
        }
        assertEquals(List.of(), severe);
    }

    // Up to the end of the retry hint and whatever came with it (Tomcat ends each chunk with CRLF, Jetty does not).
    private static void readThroughTheRetryHint(Socket socket) throws Exception {
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        InputStream in = socket.getInputStream();
        StringBuilder received = new StringBuilder();
        while (!received.toString().endsWith("retry: 3000\n\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the stream ended early: " + received);
            received.append((char) b);
        }
        in.readNBytes(in.available());
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(container.baseUri().getHost(), container.baseUri().getPort()));
        return socket;
    }
}
