package dev.ssehub.server;

import dev.ssehub.hub.Hub;
import dev.ssehub.testkit.Await;
import dev.ssehub.testkit.ServletContainer;
import dev.ssehub.testkit.SseConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What every contract test against a real container shares: the container kind it runs on ("jetty" or "tomcat",
 * given by the subclass's {@code @ParameterizedClass}), the streams it opened, and a view of the webapp's hub.
 */
abstract class ContainerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Parameter
    String containerKind;

    ServletContainer container;
    private final List<SseConnection> connections = new ArrayList<>();

    @AfterEach
    void stopContainer() throws Exception {
        connections.forEach(SseConnection::close);
        if (container != null) {
            container.close();
        }
    }

    void start(Map<String, String> params) throws Exception {
        container = ServletContainer.start(containerKind, params);
    }

    /** Starts with at most {@code maxThreads} threads in the container's pool. */
    void start(Map<String, String> params, int maxThreads) throws Exception {
        container = ServletContainer.startWithThreads(containerKind, params, maxThreads);
    }

    SseConnection open(String pathAndQuery) throws Exception {
        return open(pathAndQuery, Map.of());
    }

    /** Opens a stream that is closed after the test. */
    SseConnection open(String pathAndQuery, Map<String, String> headers) throws Exception {
        SseConnection connection = SseConnection.open(container.uri(pathAndQuery), headers);
        connections.add(connection);
        return connection;
    }

    HubRuntime runtime() {
        return HubRuntime.of(container.servletContext());
    }

    Hub hub() {
        return runtime().hub();
    }

    void awaitSubscribers(int count) throws InterruptedException {
        awaitUntil(() -> hub().subscriberCount() == count, count + " subscribers (have " + hub().subscriberCount() + ")");
    }

    static void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(condition, what, TIMEOUT);
    }
}
