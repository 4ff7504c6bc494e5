package io.funcpipe.core.policy;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.smallrye.common.annotation.CheckReturnValue;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The time source and the non-blocking delay the policies use: {@link #MUTINY} in production
 * (Mutiny's timer pool, never {@code Thread.sleep}), a virtual clock in tests, so retries and
 * rate limits can be checked without waiting.
 */
public interface Ticker {

    /** Real time: {@link System#nanoTime()} and a timer on Mutiny's default worker pool. */
    Ticker MUTINY = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Uni<Void> delay(Duration duration) {
            if (duration.isZero() || duration.isNegative()) {
                return Uni.createFrom().voidItem();
            }
            return Uni.createFrom().emitter(emitter -> {
                ScheduledFuture<?> timer = Infrastructure.getDefaultWorkerPool()
                        .schedule(() -> emitter.complete(null), duration.toNanos(), TimeUnit.NANOSECONDS);
                emitter.onTermination(() -> timer.cancel(false));
            });
        }
    };

    /** The current time in nanoseconds, for differences only (as {@link System#nanoTime()}). */
    long nanoTime();

    /**
     * A {@code Uni} that completes once {@code duration} has passed after it is subscribed.
     * Cancelling it cancels the timer. Zero or negative durations complete at once.
     */
    @CheckReturnValue
    Uni<Void> delay(Duration duration);
}
