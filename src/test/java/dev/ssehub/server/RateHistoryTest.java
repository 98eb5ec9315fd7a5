package dev.ssehub.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RateHistoryTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void ratesArePerSecondBetweenConsecutiveSamplesOldestFirst() {
        RateHistory history = new RateHistory(10);
        history.sample(0, 100, 1000);
        assertEquals(List.of(), history.points(), "one sample is only a starting point");

        history.sample(2 * SECOND, 110, 1040);
        history.sample(4 * SECOND, 110, 1040);
        history.sample(5 * SECOND, 113, 1043);

        assertEquals(List.of(new RateHistory.Point(5, 20), new RateHistory.Point(0, 0), new RateHistory.Point(3, 3)),
                history.points());
    }

    @Test
    void onlyTheLastSizeIntervalsAreKept() {
        RateHistory history = new RateHistory(2);
        for (int i = 0; i <= 4; i++) {
            history.sample(i * SECOND, i * i, 0);
        }
        assertEquals(List.of(new RateHistory.Point(5, 0), new RateHistory.Point(7, 0)), history.points());
    }
}
