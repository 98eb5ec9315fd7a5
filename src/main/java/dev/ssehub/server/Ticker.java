package dev.ssehub.server;

import dev.ssehub.hub.EventLogUnavailableException;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes the server's time, {@code yyyy-MM-dd HH:mm:ss}, at a fixed interval; the runtime sends it to the
 * {@value #TOPIC} topic. One failed tick never stops the next.
 */
final class Ticker {

    /** The topic of the ticker; {@code GET /stream} without parameters carries it. */
    static final String TOPIC = "clock";
    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Logger LOG = Logger.getLogger(Ticker.class.getName());

    private final Consumer<String> publishTime;
    private final Clock clock = Clock.systemDefaultZone();

    Ticker(Consumer<String> publishTime) {
        this.publishTime = publishTime;
    }

    /** Starts ticking on the scheduler; an interval of 0 turns the ticker off. */
    void schedule(ScheduledExecutorService scheduler, long intervalMillis) {
        if (intervalMillis == 0) {
            return;
        }
        // Aligned to the next whole second so the displayed time changes when the wall clock's second does.
        long delay = 1000 - clock.millis() % 1000;
        scheduler.scheduleAtFixedRate(this::tick, delay, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            publishTime.accept(LocalDateTime.now(clock).format(FORMAT));
        } catch (IllegalStateException shutDown) {
            // the webapp is stopping; the scheduler is being shut down too
        } catch (EventLogUnavailableException unreachable) {
            // the shared log is down: it logs that once, and this tick is skipped like any publish
        } catch (RuntimeException | Error e) { // even an OutOfMemoryError: the next tick may well succeed
            LOG.log(Level.WARNING, "tick failed", e); // a thrown task would silently cancel the schedule
        }
    }
}
