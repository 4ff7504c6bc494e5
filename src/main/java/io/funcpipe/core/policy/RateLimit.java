package io.funcpipe.core.policy;

import io.smallrye.common.annotation.CheckReturnValue;

/**
 * A token bucket for calls to a rate-limited service (an HTTP embedding API): {@code burst} calls
 * may go at once, then {@code permitsPerSecond} on average. The record is the description; a
 * {@link RateLimiter} made from it is the shared runtime object every stream using that service
 * goes through.
 *
 * <p>Config form: {@code {"permitsPerSecond": 10.0, "burst": 10}}.
 *
 * @param permitsPerSecond the sustained rate, a finite number > 0; default 10
 * @param burst            calls allowed at once after a quiet spell, >= 1; default 10
 */
public record RateLimit(double permitsPerSecond, int burst) {

    /** 10 permits per second, burst 10. */
    public static final RateLimit DEFAULT = new RateLimit(10, 10);

    public RateLimit {
        Validate.positiveFinite(permitsPerSecond, "rateLimit.permitsPerSecond");
        Validate.atLeast(burst, 1, "rateLimit.burst");
    }

    /** {@code permitsPerSecond} on average, {@code burst} at once. */
    public static RateLimit of(double permitsPerSecond, int burst) {
        return new RateLimit(permitsPerSecond, burst);
    }

    @CheckReturnValue
    public RateLimit withPermitsPerSecond(double permitsPerSecond) {
        return new RateLimit(permitsPerSecond, burst);
    }

    @CheckReturnValue
    public RateLimit withBurst(int burst) {
        return new RateLimit(permitsPerSecond, burst);
    }
}
