package dev.ssehub.client;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wait before each reconnection: the server's reconnection time first, then capped doubling with jitter. */
class BackoffTest {

    // nextDouble() is built from nextLong(): 0 gives 0.0, -1 (all bits set) gives the largest double below 1.
    private static final RandomGenerator LOWEST = () -> 0L;
    private static final RandomGenerator HIGHEST = () -> -1L;

    @Test
    void theDefaultReconnectionTimeIsThreeSecondsAsInBrowsers() {
        assertEquals(3000, Backoff.DEFAULT_RECONNECT_MILLIS);
        assertEquals(3000, Backoff.initial(Backoff.DEFAULT_RECONNECT_MILLIS, 30_000).delayMillis(HIGHEST));
    }

    @Test
    void theFirstReconnectWaitsExactlyTheReconnectionTime() {
        Backoff backoff = Backoff.initial(1500, 30_000);

        assertEquals(1500, backoff.delayMillis(LOWEST));
        assertEquals(1500, backoff.delayMillis(HIGHEST));
    }

    @Test
    void repeatedFailuresDoubleAWindowThatNeverStartsBelowTheReconnectionTime() {
        assertEquals(List.of(1000L, 1000L, 2000L, 4000L, 8000L), delays(Backoff.initial(1000, 60_000), LOWEST, 5));
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L), delays(Backoff.initial(1000, 60_000), HIGHEST, 5));
    }

    @Test
    void growthStopsAtTheCap() {
        assertEquals(List.of(1000L, 2000L, 4000L, 5000L, 5000L, 5000L), delays(Backoff.initial(1000, 5000), HIGHEST, 6));
        assertEquals(List.of(1000L, 1000L, 2000L, 2500L, 2500L), delays(Backoff.initial(1000, 5000), LOWEST, 5));
    }

    @Test
    void aReconnectionTimeAboveTheCapIsStillHonoured() {
        assertEquals(List.of(90_000L, 90_000L, 90_000L), delays(Backoff.initial(90_000, 30_000), HIGHEST, 3));
    }

    @Test
    void aZeroReconnectionTimeReconnectsAtOnceButBacksOffFromAFloorWhenFailuresRepeat() {
        assertEquals(List.of(0L, 250L, 500L, 1000L), delays(Backoff.initial(0, 30_000), LOWEST, 4));
        assertEquals(List.of(0L, 500L, 1000L, 2000L), delays(Backoff.initial(0, 30_000), HIGHEST, 4));
    }

    @Test
    void anOpenConnectionStartsOverAtTheReconnectionTime() {
        Backoff failing = Backoff.initial(1000, 60_000).next().next().next();
        assertEquals(8000, failing.delayMillis(HIGHEST));

        assertEquals(1000, failing.afterOpen().delayMillis(HIGHEST));
    }

    @Test
    void theServersRetryReplacesTheReconnectionTimeAndKeepsTheFailureCount() {
        Backoff backoff = Backoff.initial(3000, 60_000).next().withReconnectTime(100);

        assertEquals(new Backoff(100, 60_000, 1), backoff);
        assertEquals(250, backoff.delayMillis(LOWEST));
        assertEquals(100, backoff.afterOpen().delayMillis(HIGHEST));
    }

    @Test
    void jitterSpreadsWithinTheWindow() {
        Backoff third = Backoff.initial(1000, 60_000).next().next();
        RandomGenerator half = () -> Long.MIN_VALUE; // nextDouble() == 0.5

        assertEquals(3000, third.delayMillis(half)); // halfway between 2000 and 4000
    }

    @Test
    void hugeValuesDoNotOverflow() {
        for (RandomGenerator random : List.of(LOWEST, HIGHEST)) {
            long delay = new Backoff(Long.MAX_VALUE / 3, Long.MAX_VALUE, 40).delayMillis(random);
            assertTrue(delay >= Long.MAX_VALUE / 2, String.valueOf(delay));
            long most = new Backoff(1000, Long.MAX_VALUE, Integer.MAX_VALUE).next().delayMillis(random);
            assertTrue(most >= Long.MAX_VALUE / 2, String.valueOf(most));
        }
    }

    @Test
    void negativeValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.initial(-1, 1000));
    }

    private static List<Long> delays(Backoff start, RandomGenerator random, int count) {
        List<Long> delays = new ArrayList<>();
        Backoff backoff = start;
        for (int i = 0; i < count; i++) {
            delays.add(backoff.delayMillis(random));
            backoff = backoff.next();
        }
        return delays;
    }
}
