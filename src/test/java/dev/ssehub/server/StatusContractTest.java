package dev.ssehub.server;

import dev.ssehub.testkit.Http;
import dev.ssehub.testkit.PublishClient;
import dev.ssehub.testkit.SseConnection;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /status/data, the data of status.html: the same numbers as a scrape of /metrics, and the busiest topics. Its
 * protection, shared with /metrics, is checked with it in {@link OperationsContractTest}.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetty", "tomcat"})
class StatusContractTest extends ContainerTest {

    private static final String METRICS_TOKEN = "metrics-token";
    private static final String PUBLISH_TOKEN = "publish-token";

    @Test
    void theStatusDataHasExactlyItsFieldsWithTheNumbersOfAScrape() throws Exception {
        // Frequent heartbeats, so that the server finds the stream the client closes: a write to it fails.
        start(Map.of("ssehub.tickInterval", "0", "ssehub.metricsToken", METRICS_TOKEN,
                "ssehub.publishToken", PUBLISH_TOKEN, "ssehub.heartbeatInterval", "200", "ssehub.maxStreams", "100"));
        SseConnection leaving = open("stream?topic=news");
        open("stream?topic=news&topic=sport");
        SseConnection third = open("stream?topic=news&topic=sport&topic=weather");
        awaitSubscribers(3);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(PublishClient.publish(container.baseUri(), PUBLISH_TOKEN, "news", null, "n" + i));
        }
        assertEquals(401, PublishClient.post(container.baseUri(), "wrong", "news", null, "x").status());
        third.events().awaitEvents(3, TIMEOUT);
        leaving.close();
        awaitSubscribers(2);
        open("stream?topic=news", Map.of("Last-Event-ID", ids.get(0)));
        awaitSubscribers(3);

        Map<String, Double> metrics = OperationsContractTest.parse(get("metrics").body());
        Http.Reply reply = get("status/data");
        assertEquals(200, reply.status());
        assertEquals("application/json;charset=utf-8", reply.header("Content-Type").toLowerCase().replace(" ", ""));
        assertEquals("no-store", reply.header("Cache-Control"));
        JsonObject status = JsonParser.parseString(reply.body()).getAsJsonObject();

        String version = metrics.keySet().stream().filter(name -> name.startsWith("ssehub_build_info{version=\""))
                .findFirst().orElseThrow().replaceAll(".*version=\"([^\"]*)\".*", "$1");
        assertEquals(version, status.get("version").getAsString());
        JsonObject eventLog = status.getAsJsonObject("eventLog");
        assertEquals(metrics.get("ssehub_event_log_epoch").longValue(), eventLog.get("epoch").getAsLong());
        JsonObject events = status.getAsJsonObject("events");
        assertEquals(metrics.get("ssehub_delivered_bytes_total").longValue(), events.get("deliveredBytes").getAsLong());
        JsonObject bytes = status.getAsJsonObject("bytes");
        assertEquals(metrics.get("ssehub_replay_retained_bytes").longValue(), bytes.get("replayRetained").getAsLong());
        assertTrue(status.get("uptimeSeconds").getAsLong() >= 0);
        JsonObject rates = status.getAsJsonObject("rates");
        assertEquals(rates.getAsJsonArray("published").size(), rates.getAsJsonArray("deliveries").size());
        // What varies from run to run has been checked: blank it, and the rest is exact.
        status.addProperty("version", "v");
        status.addProperty("uptimeSeconds", 0);
        eventLog.addProperty("epoch", 0);
        events.addProperty("deliveredBytes", 0);
        bytes.addProperty("replayRetained", 0);
        rates.add("published", new JsonArray());
        rates.add("deliveries", new JsonArray());
        assertEquals("{\"version\":\"v\",\"uptimeSeconds\":0,"
                + "\"eventLog\":{\"kind\":\"memory\",\"up\":true,\"epoch\":0},"
                + "\"streams\":{\"open\":3,\"max\":100,\"opened\":4,\"closed\":{\"client_gone\":1,\"too_slow\":0,"
                + "\"replay_paged\":0,\"rotated\":0,\"expired_auth\":0,\"overload\":0,\"shutdown\":0}},"
                + "\"events\":{\"published\":3,\"fannedOut\":3,\"deliveries\":9,\"deliveredBytes\":0},"
                + "\"rates\":{\"intervalSeconds\":2,\"published\":[],\"deliveries\":[]},"
                + "\"replays\":{\"exact\":1,\"paged\":0,\"too_old\":0,\"unknown\":0,\"malformed\":0},"
                + "\"publishRefusals\":{\"401\":1},"
                + "\"bytes\":{\"replayRetained\":0,\"queued\":0},"
                + "\"topics\":{\"subscribed\":3,\"retained\":1,\"busiest\":[{\"topic\":\"news\",\"subscribers\":3},"
                + "{\"topic\":\"sport\",\"subscribers\":2},{\"topic\":\"weather\",\"subscribers\":1}]}}",
                status.toString());
        assertEquals(3.0, metrics.get("ssehub_streams"));
        assertEquals(9.0, metrics.get("ssehub_deliveries_total"));
        assertEquals(1.0, metrics.get("ssehub_streams_closed_total{reason=\"client_gone\"}"));
        assertEquals(1.0, metrics.get("ssehub_publish_refusals_total{status=\"401\"}"));
    }

    private Http.Reply get(String path) throws IOException {
        return Http.send("GET", container.uri(path), Map.of("Authorization", "Bearer " + METRICS_TOKEN), null, null);
    }
}
