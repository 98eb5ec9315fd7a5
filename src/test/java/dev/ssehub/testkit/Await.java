package dev.ssehub.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition with a deadline, looking every 10 ms: how tests wait, never by sleeping and hoping. */
public final class Await {

    private Await() {
    }

    /** Returns once {@code condition} holds; fails with "timed out waiting for {@code what}" after {@code timeout}. */
    public static void until(BooleanSupplier condition, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
