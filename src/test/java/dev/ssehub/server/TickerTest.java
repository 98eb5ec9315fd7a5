package dev.ssehub.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TickerTest {

    @Test
    void aTickThatFailsEvenWithAnErrorDoesNotStopTheNextOnes() throws Exception {
        BlockingQueue<String> published = new LinkedBlockingQueue<>();
        AtomicInteger calls = new AtomicInteger();
        Ticker ticker = new Ticker(time -> {
            switch (calls.incrementAndGet()) {
                case 1 -> throw new OutOfMemoryError("Java heap space (thrown by the test)");
                case 2 -> throw new IllegalArgumentException("thrown by the test");
                default -> published.add(time);
            }
        });
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            ticker.schedule(scheduler, 20);
            String tick = published.poll(10, TimeUnit.SECONDS);
            assertNotNull(tick, "no tick after two failed ones");
            assertTrue(tick.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"), tick);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
