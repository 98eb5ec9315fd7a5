package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.Hub;
import dev.ssehub.testkit.Chromium;
import dev.ssehub.testkit.Http;
import dev.ssehub.testkit.PacedPublisher;
import dev.ssehub.testkit.ServletContainer;
import dev.ssehub.testkit.SseConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page in a real browser, headless Chromium, against embedded Jetty: the clock ticks, a server restart shows as
 * "reconnecting" and heals without a missing id (the browser's EventSource sends Last-Event-ID, the hub replays),
 * and a message sent from one page's publish panel shows up on another page; the status page, once given the metrics
 * token, shows the numbers /metrics serves. Screenshots go to target/screenshots.
 */
class BrowserIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String TOKEN = "browser-it-token";
    private static final String METRICS_TOKEN = "browser-it-metrics-token";
    // What the status page shows of the numbers a test compares with /metrics, read in one go.
    private static final String STATUS_SNAPSHOT = "const text = (selector) => document.querySelector(selector)"
            + " ? document.querySelector(selector).textContent.replaceAll(',', '') : '';"
            + "const top = document.querySelector('#busiest li');"
            + "return [text('#streams-open'), text('#events-published'), text('#deliveries'),"
            + " text('#closed li[data-key=\"client_gone\"] .count'), top ? top.dataset.key : '',"
            + " text('#busiest li .count')];";
    // The ids of the plain messages (ticks) in the log, oldest first (the log shows the newest first).
    private static final String MESSAGE_IDS = "return Array.from(document.querySelectorAll("
            + "'#log li[data-type=\"message\"]')).map(li => li.dataset.id).reverse();";
    // What the page shows, read in one go so that no tick lands between two of the reads.
    private static final String SNAPSHOT = "const ticks = document.querySelectorAll('#log li[data-type=\"message\"]');"
            + "return [ticks.length, ticks.length ? ticks[0].querySelector('.data').textContent : '',"
            + " ticks.length ? ticks[0].dataset.id : '',"
            + " document.querySelector('#clock .clock-date').textContent + ' '"
            + " + document.querySelector('#clock .clock-time').textContent,"
            + " document.getElementById('last-id').textContent];";

    private static Chromium chromium;
    private ServletContainer container;

    @BeforeAll
    static void startBrowser() {
        chromium = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @AfterEach
    void stopContainer() throws Exception {
        chromium.closeAllButFirstWindow(); // ends the pages' streams before the server goes
        if (container != null) {
            container.close();
        }
    }

    @Test
    void thePageShowsTheServerClockTicking() throws Exception {
        container = ServletContainer.start("jetty", Map.of());
        WebDriver page = chromium.driver();
        page.get(container.baseUri().toString());

        awaitState(page, "open");
        List<String> ids = await(page, "two ticks in the log", p -> {
            List<String> shown = messageIds(p);
            return shown.size() >= 2 ? shown : null;
        });
        assertContiguous(ids);
        @SuppressWarnings("unchecked")
        List<Object> shown = (List<Object>) ((JavascriptExecutor) page).executeScript(SNAPSHOT);
        String newestTick = (String) shown.get(1);
        assertTrue(newestTick.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"), newestTick);
        assertEquals(newestTick, shown.get(3), "the clock shows the newest tick");
        assertEquals(shown.get(2), shown.get(4), "the last event id shown is the newest tick's");
        chromium.screenshot("page");
    }

    @Test
    void afterAServerRestartThePageShowsReconnectingThenResumesWithNoMissingId() throws Exception {
        container = ServletContainer.start("jetty", Map.of());
        WebDriver page = chromium.driver();
        page.get(container.baseUri().toString());
        awaitState(page, "open");
        List<String> before = await(page, "a tick in the log", p -> {
            List<String> shown = messageIds(p);
            return shown.isEmpty() ? null : shown;
        });

        container.stopConnector();
        awaitState(page, "reconnecting");
        chromium.screenshot("reconnecting");
        // The hub keeps ticking while nobody can connect: at least two ticks the page has to get from the replay.
        long lastShown = EventId.parse(before.get(before.size() - 1)).sequence();
        ContainerTest.awaitUntil(() -> hub().lastId().sequence() >= lastShown + 2, "two ticks while down");
        EventId lastBeforeRestart = hub().lastId();
        container.startConnector();

        awaitState(page, "open");
        String liveAfterRestart = new EventId(lastBeforeRestart.epoch(), lastBeforeRestart.sequence() + 1).toString();
        List<String> after = await(page, "the first tick after the restart (" + liveAfterRestart + ")", p -> {
            List<String> shown = messageIds(p);
            return shown.contains(liveAfterRestart) ? shown : null;
        });
        assertContiguous(after);
        assertTrue(after.containsAll(before), "the log kept what it had: " + after);
        assertEquals(0, page.findElements(By.cssSelector("#log li[data-type=\"missed\"]")).size(), "missed notice");
        assertEquals("1", text(page, "#reconnects"));
        chromium.screenshot("reconnected");
    }

    @Test
    void aMessageSentFromThePublishPanelOfOnePageAppearsOnAnother() throws Exception {
        container = ServletContainer.start("jetty", Map.of("ssehub.publishToken", TOKEN));
        WebDriver driver = chromium.driver();
        String sender = driver.getWindowHandle();
        driver.get(container.baseUri().toString());
        awaitState(driver, "open");

        String receiver = driver.switchTo().newWindow(WindowType.WINDOW).getWindowHandle();
        driver.get(container.baseUri().toString());
        awaitState(driver, "open");
        // The click adds chat to the one stream both pages share: it reopens for clock and chat from the last id,
        // "connecting", then "open" once the server answered, which it does after subscribing the stream.
        driver.findElement(By.cssSelector("#topics input[value=\"chat\"]")).click();
        await(driver, "the shared stream to carry chat", p -> "stream?topic=chat&topic=clock&withTopic=1"
                .equals(text(p, "#stream-url")) ? true : null);
        awaitState(driver, "open");
        ContainerTest.awaitUntil(() -> hub().subscriberCount() == 1, "one stream for both pages");

        driver.switchTo().window(sender);
        driver.findElement(By.id("token")).sendKeys(TOKEN);
        driver.findElement(By.id("topic")).clear();
        driver.findElement(By.id("topic")).sendKeys("chat");
        driver.findElement(By.id("event-type")).sendKeys("chat");
        driver.findElement(By.id("message")).sendKeys("hello from the other page");
        driver.findElement(By.id("send")).click();
        String result = await(driver, "the publish result",
                p -> text(p, "#publish-result").startsWith("Sent to chat as id ") ? text(p, "#publish-result") : null);
        String id = result.substring("Sent to chat as id ".length());

        driver.switchTo().window(receiver);
        String selector = "#log li[data-id=\"" + id + "\"]";
        await(driver, "event " + id + " on the other page",
                p -> p.findElements(By.cssSelector(selector)).isEmpty() ? null : id);
        assertEquals("chat", driver.findElement(By.cssSelector(selector)).getAttribute("data-type"));
        assertEquals("hello from the other page", text(driver, selector + " .data"));
        chromium.screenshot("published");
    }

    @Test
    void whatThePagePublishesShowsUpInItsOwnLogWithItsTopicAndTheTicksCanBeLeftOut() throws Exception {
        container = ServletContainer.start("jetty", Map.of("ssehub.publishToken", TOKEN));
        WebDriver driver = chromium.driver();
        driver.get(container.baseUri().toString());
        awaitState(driver, "open");
        await(driver, "a tick in the log", p -> p.findElements(By.cssSelector("#log li.tick")).isEmpty() ? null : true);

        driver.findElement(By.id("log-ticks")).click(); // leave the clock's ticks out of the log
        driver.findElement(By.id("token")).sendKeys(TOKEN);
        driver.findElement(By.id("topic")).clear();
        driver.findElement(By.id("topic")).sendKeys("news"); // a topic the page does not show yet
        driver.findElement(By.id("message")).sendKeys("to a new topic");
        driver.findElement(By.id("send")).click();
        String result = await(driver, "the publish result",
                p -> text(p, "#publish-result").startsWith("Sent to news as id ") ? text(p, "#publish-result") : null);
        String id = result.substring("Sent to news as id ".length());

        String selector = "#log li[data-id=\"" + id + "\"]";
        await(driver, "event " + id + " in the page's own log",
                p -> p.findElements(By.cssSelector(selector)).isEmpty() ? null : id);
        assertEquals("news", text(driver, selector + " .topic"));
        assertEquals("to a new topic", text(driver, selector + " .data"));
        assertTrue(driver.findElements(By.cssSelector("#log li.tick")).stream().noneMatch(WebElement::isDisplayed),
                "no tick shown once they are left out");
    }

    @Test
    void theStatusPageAsksForTheMetricsTokenThenShowsWhatMetricsSay() throws Exception {
        // Frequent heartbeats, so that the server finds the stream the client closes: a write to it fails.
        container = ServletContainer.start("jetty", Map.of("ssehub.publishToken", TOKEN,
                "ssehub.metricsToken", METRICS_TOKEN, "ssehub.tickInterval", "0", "ssehub.heartbeatInterval", "200"));
        List<SseConnection> streams = new ArrayList<>();
        try {
            for (String query : List.of("topic=news", "topic=news", "topic=news&topic=sport", "topic=sport",
                    "topic=news&topic=weather", "topic=sport")) {
                streams.add(SseConnection.open(container.uri("stream?" + query)));
            }
            ContainerTest.awaitUntil(() -> hub().subscriberCount() == 6, "6 subscribers");
            PacedPublisher news = new PacedPublisher(container.baseUri(), TOKEN, "news", 80, Duration.ofMillis(100),
                    TIMEOUT);
            PacedPublisher sport = new PacedPublisher(container.baseUri(), TOKEN, "sport", 30, Duration.ofMillis(150),
                    TIMEOUT);
            Thread newsThread = new Thread(news, "publish-news");
            Thread sportThread = new Thread(sport, "publish-sport");
            newsThread.start();
            sportThread.start();

            WebDriver page = chromium.driver();
            page.get(container.uri("status.html").toString());
            await(page, "the token form", p -> p.findElement(By.id("token-form")).isDisplayed() ? true : null);
            assertEquals("locked", page.findElement(By.id("state")).getAttribute("data-state"));
            chromium.screenshot("status-token");
            page.findElement(By.id("token")).sendKeys(METRICS_TOKEN);
            page.findElement(By.id("token-submit")).click();
            awaitStatusState(page, "live");
            assertTrue(page.findElement(By.id("dashboard")).isDisplayed(), "the dashboard");
            await(page, "a rate of events published above 0",
                    p -> text(p, "#published-now").matches("0 /s|— /s") ? null : true);

            newsThread.join();
            sportThread.join();
            streams.remove(3).close(); // a subscriber of sport only: news stays the busiest topic
            ContainerTest.awaitUntil(() -> hub().subscriberCount() == 5, "the closed stream found gone");
            Map<String, Double> metrics = OperationsContractTest.parse(Http.send("GET", container.uri("metrics"),
                    Map.of("Authorization", "Bearer " + METRICS_TOKEN), null, null).body());
            List<String> expected = List.of(whole(metrics, "ssehub_streams"),
                    whole(metrics, "ssehub_events_published_total"), whole(metrics, "ssehub_deliveries_total"),
                    whole(metrics, "ssehub_streams_closed_total{reason=\"client_gone\"}"), "news", "4");
            assertEquals(List.of("5", "110", Integer.toString(80 * 4 + 30 * 3), "1"), expected.subList(0, 4));
            await(page, () -> "the page to show " + expected + ", not " + statusSnapshot(page),
                    p -> statusSnapshot(p).equals(expected) ? true : null);
            Path shot = chromium.screenshot("status-page");
            Files.copy(shot, shot.getParent().resolveSibling("status-page.png"), StandardCopyOption.REPLACE_EXISTING);

            page.navigate().refresh(); // the token is kept for the tab
            awaitStatusState(page, "live");
            assertEquals(expected, statusSnapshot(page));
        } finally {
            streams.forEach(SseConnection::close);
        }
    }

    private static String whole(Map<String, Double> metrics, String series) {
        return Long.toString(Math.round(metrics.get(series)));
    }

    @SuppressWarnings("unchecked")
    private static List<String> statusSnapshot(WebDriver page) {
        return (List<String>) ((JavascriptExecutor) page).executeScript(STATUS_SNAPSHOT);
    }

    private static void awaitStatusState(WebDriver page, String state) {
        await(page, "the status page to be " + state,
                p -> state.equals(p.findElement(By.id("state")).getAttribute("data-state")) ? state : null);
    }

    private Hub hub() {
        return HubRuntime.of(container.servletContext()).hub();
    }

    private static void awaitState(WebDriver page, String state) {
        await(page, "the page to show the connection " + state,
                p -> state.equals(p.findElement(By.id("state")).getAttribute("data-state")) ? state : null);
    }

    private static <T> T await(WebDriver page, String what, Function<WebDriver, T> condition) {
        return await(page, () -> what, condition);
    }

    private static <T> T await(WebDriver page, Supplier<String> what, Function<WebDriver, T> condition) {
        return new WebDriverWait(page, TIMEOUT, Duration.ofMillis(50))
                .withMessage(() -> "waiting for " + what.get())
                .until(condition);
    }

    @SuppressWarnings("unchecked")
    private static List<String> messageIds(WebDriver page) {
        return (List<String>) ((JavascriptExecutor) page).executeScript(MESSAGE_IDS);
    }

    private static String text(WebDriver page, String selector) {
        return page.findElement(By.cssSelector(selector)).getText();
    }

    // Ids of one hub: same epoch, sequences one apart, oldest first.
    private static void assertContiguous(List<String> ids) {
        EventId first = EventId.parse(ids.get(0));
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(new EventId(first.epoch(), first.sequence() + i).toString(), ids.get(i),
                    "gap or duplicate in the page's log: " + ids);
        }
    }
}
