package io.funcpipe.core;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Blocking waits for tests. A wait is bounded so that a hang fails the test instead of the build;
 * the bounds are generous and never measure speed.
 */
final class Await {

    static final Duration LIMIT = Duration.ofSeconds(20);

    private Await() {
    }

    /** Runs {@code gen} to its end and returns every item in order. */
    static <T> List<Result<T>> all(AsyncGen<T> gen) {
        return gen.collectAll().await().atMost(LIMIT);
    }

    /** Runs {@code plan} and returns its result. */
    static <T> Result<T> one(AsyncPlan<T> plan) {
        return plan.open().await().atMost(LIMIT);
    }

    /** Waits until {@code condition} holds; fails with {@code what} if it does not within {@link #LIMIT}. */
    static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
