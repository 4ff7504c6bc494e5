package io.funcpipe.core.policy;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import io.funcpipe.core.ErrCode;
import io.smallrye.common.annotation.CheckReturnValue;

/**
 * How one item's step is retried when it yields an {@code Err} (the word set is Mutiny's:
 * {@link #atMost}, {@link #withBackOff}, {@link #withJitter}, {@link #expireIn}). A retry re-runs
 * the item's step only, never the stream; the {@code Err} after the last attempt is the item's
 * result, with the attempt count in its detail {@code attempts}.
 *
 * <p>The delay before retry {@code k} (k = 1 for the first retry) is
 * {@code base(k) = min(maxBackoff, initialBackoff * 2^(k-1))}, shortened by a random share of at
 * most {@code jitter}: it lies in {@code [base(k) * (1 - jitter), base(k)]}, so it never exceeds
 * {@code maxBackoff}. No retry starts once the next delay would pass {@code expireIn}, counted from
 * the first attempt.
 *
 * <p>Config form (durations as ISO-8601 such as {@code "PT0.1S"}, or {@code "100ms"}, {@code "2s"}):
 * {@code {"maxAttempts": 3, "initialBackoff": "PT0.1S", "maxBackoff": "PT10S", "jitter": 0.5,
 * "expireIn": "PT1M", "retryOn": ["TIMEOUT", "UNAVAILABLE", "RATE_LIMITED"]}}.
 *
 * @param maxAttempts    attempts in all, the first included, >= 1; default 3
 * @param initialBackoff delay before the first retry, >= 0; default 100 ms
 * @param maxBackoff     cap on any delay, >= initialBackoff; default 10 s
 * @param jitter         share of a delay that is randomised away, in [0, 1]; default 0.5
 * @param expireIn       time budget for all attempts of one item, > 0; default 1 min
 * @param retryOn        the error codes worth retrying; others are final at once; default
 *                       {@code TIMEOUT, UNAVAILABLE, RATE_LIMITED}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter,
                          Duration expireIn, Set<ErrCode> retryOn) {

    /** 3 attempts, 100 ms to 10 s backoff, jitter 0.5, 1 min budget, transient codes. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(10), 0.5,
            Duration.ofMinutes(1), EnumSet.of(ErrCode.TIMEOUT, ErrCode.UNAVAILABLE, ErrCode.RATE_LIMITED));

    public RetryPolicy {
        Validate.atLeast(maxAttempts, 1, "retry.maxAttempts");
        Validate.nonNegative(initialBackoff, "retry.initialBackoff");
        Validate.nonNegative(maxBackoff, "retry.maxBackoff");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry.maxBackoff must be >= retry.initialBackoff (" + initialBackoff
                    + "), got " + maxBackoff);
        }
        Validate.between(jitter, 0, 1, "retry.jitter");
        Validate.positive(expireIn, "retry.expireIn");
        Validate.present(retryOn, "retry.retryOn");
        for (ErrCode code : retryOn) {
            if (code == null) {
                throw new IllegalArgumentException("retry.retryOn must name error codes, got a null in " + retryOn);
            }
        }
        retryOn = Collections.unmodifiableSet(retryOn.isEmpty() ? EnumSet.noneOf(ErrCode.class) : EnumSet.copyOf(retryOn));
    }

    /** The default policy with {@code maxAttempts} attempts. */
    public static RetryPolicy of(int maxAttempts) {
        return DEFAULT.atMost(maxAttempts);
    }

    /** One attempt: nothing is retried. */
    public static RetryPolicy none() {
        return DEFAULT.atMost(1);
    }

    /** Whether an error with this code is retried (while attempts and budget remain). */
    public boolean retries(ErrCode code) {
        return retryOn.contains(code);
    }

    /**
     * The delay before retry number {@code retry} (1 for the first), given a uniform random
     * {@code u} in [0, 1): {@code base - base * jitter * u} with {@code base} as in the class doc.
     */
    public Duration delayBefore(int retry, double u) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1, got " + retry);
        }
        long initial = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        long base = initial;
        for (int k = 1; k < retry && base < max; k++) {
            base = base > max / 2 ? max : base * 2;
        }
        base = Math.min(base, max);
        long shortened = (long) (base * jitter * Math.min(Math.max(u, 0), 1));
        return Duration.ofNanos(base - shortened);
    }

    @CheckReturnValue
    public RetryPolicy atMost(int maxAttempts) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, expireIn, retryOn);
    }

    @CheckReturnValue
    public RetryPolicy withBackOff(Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, expireIn, retryOn);
    }

    @CheckReturnValue
    public RetryPolicy withJitter(double jitter) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, expireIn, retryOn);
    }

    @CheckReturnValue
    public RetryPolicy expireIn(Duration expireIn) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, expireIn, retryOn);
    }

    @CheckReturnValue
    public RetryPolicy withRetryOn(Set<ErrCode> retryOn) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, expireIn, retryOn);
    }
}
