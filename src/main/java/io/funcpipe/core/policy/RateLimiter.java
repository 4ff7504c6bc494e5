package io.funcpipe.core.policy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.smallrye.common.annotation.CheckReturnValue;
import io.smallrye.mutiny.Uni;

/**
 * The runtime token bucket of a {@link RateLimit}, shared by every stream and plan that goes
 * through it: create one per rate-limited service and hand it to each job. Thread-safe and
 * non-blocking: a caller that must wait is resumed by a {@link Ticker} timer.
 *
 * <p>Permits are granted in request order (the generic cell rate algorithm): over any window of
 * length {@code w}, at most {@code burst + permitsPerSecond * w} permits are granted. A permit is
 * reserved when its {@link #acquire()} is subscribed; if that subscription is cancelled while it
 * waits, the reserved slot stays used (the limiter errs on the side of calling less).
 */
public final class RateLimiter {

    private final RateLimit limit;
    private final Ticker ticker;
    private final double intervalNanos;
    private final double toleranceNanos;
    private long origin;
    private double theoreticalArrival;
    private boolean started;

    private RateLimiter(RateLimit limit, Ticker ticker) {
        this.limit = limit;
        this.ticker = ticker;
        this.intervalNanos = 1e9 / limit.permitsPerSecond();
        this.toleranceNanos = (limit.burst() - 1) * intervalNanos;
    }

    /** A limiter for {@code limit} on real time. */
    public static RateLimiter of(RateLimit limit) {
        return of(limit, Ticker.MUTINY);
    }

    /** A limiter for {@code limit} on the given time source. */
    public static RateLimiter of(RateLimit limit, Ticker ticker) {
        return new RateLimiter(requireNonNull(limit, "limit"), requireNonNull(ticker, "ticker"));
    }

    /** The limit this limiter enforces. */
    public RateLimit limit() {
        return limit;
    }

    /** A {@code Uni} that completes when a permit is granted; each subscription takes one permit. */
    @CheckReturnValue
    public Uni<Void> acquire() {
        return Uni.createFrom().deferred(() -> ticker.delay(Duration.ofNanos(reserve(ticker.nanoTime()))));
    }

    /** The plan run once a permit is granted (one permit per run). */
    @CheckReturnValue
    public <T> AsyncPlan<T> limit(AsyncPlan<T> plan) {
        requireNonNull(plan, "plan");
        return AsyncPlan.defer(() -> acquire().onItem().transformToUni(ignored -> plan.open()));
    }

    /** The stream with each item (Ok or Err) held until it gets a permit. */
    @CheckReturnValue
    public <T> AsyncGen<T> limit(AsyncGen<T> gen) {
        requireNonNull(gen, "gen");
        return AsyncGen.defer(() -> gen.open().onItem().call(item -> acquire()));
    }

    /** Reserves the next permit at time {@code now} and returns how long to wait for it, in nanos. */
    synchronized long reserve(long now) {
        if (!started) {
            origin = now;
            started = true;
        }
        double at = now - origin;
        double arrival = Math.max(theoreticalArrival, at);
        double grant = Math.max(at, arrival - toleranceNanos);
        theoreticalArrival = arrival + intervalNanos;
        return (long) Math.ceil(grant - at);
    }
}
