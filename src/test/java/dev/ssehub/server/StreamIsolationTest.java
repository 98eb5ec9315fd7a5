package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.testkit.SseConnection;
import dev.ssehub.wire.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client that goes away must not disturb anyone else's stream. Each round opens a stream, publishes one event and
 * drops the connection while the previous round's dead stream is still subscribed, so the hub's write to the dead
 * stream fails while the new one starts. On Tomcat, which recycles a response once it has reported the client gone,
 * about one round in ten broke while a writer lane could still be inside a dead stream's drain.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "tomcat"})
class StreamIsolationTest extends ContainerTest {

    @Test
    void aClientThatLeavesNeverBreaksTheStreamThatOpensNext() throws Exception {
        start(Map.of("ssehub.tickInterval", "0"));
        for (int round = 1; round <= 100; round++) {
            try (SseConnection stream = SseConnection.open(container.uri("stream?topic=churn"))) {
                assertEquals(200, stream.status());
                EventId id = hub().publish("churn", null, "round " + round);
                assertEquals(new SseEvent(id.toString(), null, "round " + round, null, null),
                        stream.events().awaitEvent(TIMEOUT), "round " + round);
            }
        }
    }
}
