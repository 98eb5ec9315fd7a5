package dev.ssehub.server;

import dev.ssehub.hub.EventId;
import dev.ssehub.hub.Hub;
import dev.ssehub.testkit.Chromium;
import dev.ssehub.testkit.ChromiumPerClass;
import dev.ssehub.testkit.PublishClient;
import dev.ssehub.testkit.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ssehub.js in headless Chromium against embedded Jetty over HTTP/1.1: the tabs of one browser share one stream
 * (through the SharedWorker, or in the fallback mode through an elected tab), each tab gets exactly its topics'
 * events, and the seventh and eighth tab work where plain EventSource tabs hit the browser's 6 connections per host.
 */
class SharedStreamBrowserIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String TOKEN = "shared-stream-it-token";
    // The ids of the events of one topic in the page's log, oldest first (the log shows the newest first).
    private static final String IDS_OF_TOPIC = "return Array.from(document.querySelectorAll("
            + "'#log li[data-topic=\"' + arguments[0] + '\"]')).map(li => li.dataset.id).reverse();";
    private static final String TOPICS_IN_LOG = "return Array.from(new Set(Array.from("
            + "document.querySelectorAll('#log li')).map(li => li.dataset.topic))).sort();";

    @RegisterExtension
    static final ChromiumPerClass BROWSER = new ChromiumPerClass();
    private Chromium chromium;
    private ServletContainer container;

    @BeforeEach
    void takeBrowser() {
        chromium = BROWSER.chromium();
    }

    @AfterEach
    void closePagesThenServer() throws Exception {
        chromium.closeAllButFirstWindow();
        try (ServletContainer closedLast = container) {
            // the pages' streams ended first, so the server stops with none open
        }
    }

    @Test
    void fourTabsShareOneStreamAndEachGetsExactlyItsTopicsInOrder() throws Exception {
        // Frequent heartbeats, so that the server soon finds the streams the worker replaced while tabs joined.
        container = ServletContainer.start("jetty", Map.of("ssehub.publishToken", TOKEN,
                "ssehub.heartbeatInterval", "200"));
        Map<String, List<String>> tabs = new LinkedHashMap<>();
        tabs.put(openTab("index.html?topic=news"), List.of("news"));
        tabs.put(openTab("index.html?topic=sport"), List.of("sport"));
        tabs.put(openTab("index.html?topic=weather"), List.of("weather"));
        tabs.put(openTab("index.html?topic=chat&topic=news"), List.of("chat", "news"));
        for (String tab : tabs.keySet()) {
            WebDriver page = switchTo(tab);
            await(page, "the stream of all four tabs' topics", p ->
                    "stream?topic=chat&topic=news&topic=sport&topic=weather&withTopic=1".equals(text(p, "stream-url"))
                            && "open".equals(state(p)) && text(p, "sharing").startsWith("4 tabs") ? true : null);
            assertEquals("worker", attribute(page, "sharing", "data-mode"));
        }
        ContainerTest.awaitUntil(() -> hub().subscriberCount() == 1, "the server to hold one stream for 4 tabs");

        Map<String, List<String>> published = new LinkedHashMap<>();
        List<String> topics = List.of("news", "sport", "weather", "chat", "nobody");
        for (int i = 0; i < 25; i++) {
            String topic = topics.get(i % topics.size());
            published.computeIfAbsent(topic, t -> new ArrayList<>())
                    .add(PublishClient.publish(container.baseUri(), TOKEN, topic, null, topic + " " + i));
        }
        for (Map.Entry<String, List<String>> tab : tabs.entrySet()) {
            WebDriver page = switchTo(tab.getKey());
            for (String topic : tab.getValue()) {
                List<String> expected = published.get(topic);
                await(page, () -> "tab of " + tab.getValue() + " to show " + topic + " " + expected,
                        p -> idsOf(p, topic).size() >= expected.size() ? true : null);
                assertEquals(expected, idsOf(page, topic), topic + " in the tab of " + tab.getValue());
            }
            assertEquals(tab.getValue(), topicsInLog(page), "only its own topics");
        }
        assertEquals(1, hub().subscriberCount(), "still one stream");
        chromium.screenshot("shared-four-tabs");
    }

    @Test
    void eightPlainEventSourceTabsExhaustSixConnectionsWhereEightTabsOfTheLibraryShareOne() throws Exception {
        container = ServletContainer.start("jetty", Map.of("ssehub.publishToken", TOKEN,
                "ssehub.tickInterval", "0", "ssehub.heartbeatInterval", "200"));
        // Eight tabs, each with its own EventSource, on any page of the origin.
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String tab = openTab("css/app.css");
            ((JavascriptExecutor) chromium.driver()).executeScript("window.got = [];"
                    + "window.source = new EventSource('/stream?topic=eight');"
                    + "window.source.onmessage = (e) => window.got.push(e.lastEventId);");
            plain.add(tab);
        }
        ContainerTest.awaitUntil(() -> hub().subscriberCount() == 6, "six streams, one per connection");
        String id = PublishClient.publish(container.baseUri(), TOKEN, "eight", null, "to eight tabs");
        for (String tab : plain.subList(0, 6)) {
            await(switchTo(tab), "the event in one of the first six tabs",
                    p -> List.of(id).equals(script(p, "return window.got;")) ? true : null);
        }
        for (String tab : plain.subList(6, 8)) {
            WebDriver page = switchTo(tab);
            assertEquals(0L, script(page, "return window.source.readyState;"), "the 7th and 8th still connecting");
            assertEquals(List.of(), script(page, "return window.got;"));
        }
        assertEquals(6, hub().subscriberCount(), "no seventh stream: the browser has no connection for it");
        for (String tab : plain) {
            script(switchTo(tab), "window.source.close();");
        }
        ContainerTest.awaitUntil(() -> hub().subscriberCount() == 0, "the plain streams gone");

        for (String tab : plain) {
            switchTo(tab).get(container.uri("index.html?topic=eight").toString());
        }
        for (String tab : plain) {
            await(switchTo(tab), "the tab to share the open stream",
                    p -> "open".equals(state(p)) && text(p, "sharing").startsWith("8 tabs") ? true : null);
        }
        ContainerTest.awaitUntil(() -> hub().subscriberCount() == 1, "one stream for eight tabs");
        String second = PublishClient.publish(container.baseUri(), TOKEN, "eight", null, "to eight tabs again");
        for (String tab : plain) {
            await(switchTo(tab), "the event in every tab",
                    p -> List.of(second).equals(idsOf(p, "eight")) ? true : null);
        }
        chromium.screenshot("shared-eight-tabs");
    }

    @Test
    void withoutSharedWorkerClosingTheLeaderTabHandsTheStreamToAnotherWithContiguousIds() throws Exception {
        container = ServletContainer.start("jetty", Map.of("ssehub.tickInterval", "200",
                "ssehub.heartbeatInterval", "200"));
        List<String> tabs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tabs.add(openTab("index.html?ssehubMode=leader"));
        }
        String leader = null;
        for (String tab : tabs) {
            WebDriver page = switchTo(tab);
            await(page, "the tab to share the open stream",
                    p -> "open".equals(state(p)) && text(p, "sharing").startsWith("3 tabs") ? true : null);
            assertEquals("leader", attribute(page, "sharing", "data-mode"));
            if ("leader".equals(attribute(page, "sharing", "data-role"))) {
                assertEquals(null, leader, "one leader");
                leader = tab;
            }
        }
        assertTrue(leader != null, "a leader");
        ContainerTest.awaitUntil(() -> hub().subscriberCount() == 1, "one stream for three tabs");
        for (String tab : tabs) {
            await(switchTo(tab), "three ticks", p -> idsOf(p, "clock").size() >= 3 ? true : null);
        }

        switchTo(leader).close();
        long closed = System.nanoTime();
        tabs.remove(leader);
        EventId lastAtClose = hub().lastId();
        String afterClose = new EventId(lastAtClose.epoch(), lastAtClose.sequence() + 1).toString();
        for (String tab : tabs) {
            WebDriver page = switchTo(tab);
            await(page, "a tick after the leader left", p -> idsOf(p, "clock").contains(afterClose) ? true : null);
        }
        ContainerTest.awaitUntil(() -> hub().subscriberCount() == 1, "one stream again, the new leader's");
        EventId atTakeover = hub().lastId();
        // A tick the new leader's stream carries live: ticks come every 200 ms.
        String live = new EventId(atTakeover.epoch(), atTakeover.sequence() + 1).toString();
        long roles = 0;
        for (String tab : tabs) {
            WebDriver page = switchTo(tab);
            await(page, "the tick " + live + " from the new leader's stream",
                    p -> idsOf(p, "clock").contains(live) ? true : null);
            roles += "leader".equals(attribute(page, "sharing", "data-role")) ? 1 : 0;
            assertContiguous(idsOf(page, "clock"));
            assertEquals("2 tabs", text(page, "sharing").substring(0, 6));
        }
        assertEquals(1, roles, "exactly one new leader");
        long takeoverMillis = Duration.ofNanos(System.nanoTime() - closed).toMillis();
        System.out.println("fallback handover: every tab had ticks past the old leader within " + takeoverMillis
                + " ms");
        assertTrue(takeoverMillis < 2000, "the handover took " + takeoverMillis + " ms");
        chromium.screenshot("leader-handover");
    }

    @Test
    void thePageUsesTheLibraryUnderAContextPath() throws Exception {
        container = ServletContainer.start("jetty", Map.of(), "/ssehub");
        assertTrue(container.baseUri().getPath().equals("/ssehub/"), container.baseUri().toString());
        String first = openTab("");
        String second = openTab("");
        for (String tab : List.of(first, second)) {
            WebDriver page = switchTo(tab);
            await(page, "two ticks", p -> idsOf(p, "clock").size() >= 2 && "open".equals(state(p))
                    && text(p, "sharing").startsWith("2 tabs") ? true : null);
            assertContiguous(idsOf(page, "clock"));
            assertEquals("stream?topic=clock&withTopic=1", text(page, "stream-url"));
            assertEquals("worker", attribute(page, "sharing", "data-mode"));
        }
        ContainerTest.awaitUntil(() -> hub().subscriberCount() == 1, "one stream for both tabs");
    }

    // Opens a page of the webapp in a new tab, returning its handle; the first window stays blank, for the next test.
    private String openTab(String path) {
        WebDriver driver = chromium.driver();
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(container.uri(path).toString());
        return driver.getWindowHandle();
    }

    private WebDriver switchTo(String tab) {
        return chromium.driver().switchTo().window(tab);
    }

    private Hub hub() {
        return HubRuntime.of(container.servletContext()).hub();
    }

    private static String state(WebDriver page) {
        return attribute(page, "state", "data-state");
    }

    private static String text(WebDriver page, String id) {
        return (String) script(page, "return document.getElementById(arguments[0]).textContent;", id);
    }

    private static String attribute(WebDriver page, String id, String name) {
        return (String) script(page, "return document.getElementById(arguments[0]).getAttribute(arguments[1]);",
                id, name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> idsOf(WebDriver page, String topic) {
        return (List<String>) script(page, IDS_OF_TOPIC, topic);
    }

    @SuppressWarnings("unchecked")
    private static List<String> topicsInLog(WebDriver page) {
        return (List<String>) script(page, TOPICS_IN_LOG);
    }

    private static Object script(WebDriver page, String script, Object... arguments) {
        return ((JavascriptExecutor) page).executeScript(script, arguments);
    }

    private static <T> T await(WebDriver page, String what, Function<WebDriver, T> condition) {
        return await(page, () -> what, condition);
    }

    private static <T> T await(WebDriver page, java.util.function.Supplier<String> what,
            Function<WebDriver, T> condition) {
        return new WebDriverWait(page, TIMEOUT, Duration.ofMillis(50))
                .withMessage(() -> "waiting for " + what.get() + "; the page shows " + shown(page))
                .until(condition);
    }

    private static String shown(WebDriver page) {
        return (String) script(page, "const t = (id) => (document.getElementById(id) || {}).textContent;"
                + "return [t('state'), t('state-reason'), t('sharing'), t('stream-url'), document.title].join(' | ');");
    }

    // Ids of one hub: same epoch, sequences one apart, oldest first: no gap, no duplicate.
    private static void assertContiguous(List<String> ids) {
        EventId first = EventId.parse(ids.get(0));
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(new EventId(first.epoch(), first.sequence() + i).toString(), ids.get(i),
                    "gap or duplicate in the page's log: " + ids);
        }
    }
}
