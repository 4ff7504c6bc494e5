package io.funcpipe.core.policy;

import io.smallrye.common.annotation.CheckReturnValue;

/**
 * Every policy of one job, as found in its job spec under {@code "policies"}; applied by a
 * {@link PolicyInterpreter}. A missing section takes its default when read from config.
 *
 * @param backpressure buffer between stages; default {@link Backpressure#DEFAULT}
 * @param retry        per-item retries; default {@link RetryPolicy#DEFAULT}
 * @param timeout      per-item and per-stream deadlines; default {@link TimeoutPolicy#DEFAULT}
 * @param rateLimit    the limit on calls to a rate-limited service, or {@code null} for none; default
 *                     {@code null}
 * @param fairness     the job's share of shared capacity; default {@link Fairness#DEFAULT}
 */
public record Policies(Backpressure backpressure, RetryPolicy retry, TimeoutPolicy timeout, RateLimit rateLimit,
                       Fairness fairness) {

    /** Every default; no rate limit. */
    public static final Policies DEFAULT = new Policies(Backpressure.DEFAULT, RetryPolicy.DEFAULT,
            TimeoutPolicy.DEFAULT, null, Fairness.DEFAULT);

    public Policies {
        Validate.present(backpressure, "backpressure");
        Validate.present(retry, "retry");
        Validate.present(timeout, "timeout");
        Validate.present(fairness, "fairness");
    }

    /** The defaults. */
    public static Policies of() {
        return DEFAULT;
    }

    @CheckReturnValue
    public Policies withBackpressure(Backpressure backpressure) {
        return new Policies(backpressure, retry, timeout, rateLimit, fairness);
    }

    @CheckReturnValue
    public Policies withRetry(RetryPolicy retry) {
        return new Policies(backpressure, retry, timeout, rateLimit, fairness);
    }

    @CheckReturnValue
    public Policies withTimeout(TimeoutPolicy timeout) {
        return new Policies(backpressure, retry, timeout, rateLimit, fairness);
    }

    /** A copy with this rate limit ({@code null} for none). */
    @CheckReturnValue
    public Policies withRateLimit(RateLimit rateLimit) {
        return new Policies(backpressure, retry, timeout, rateLimit, fairness);
    }

    @CheckReturnValue
    public Policies withFairness(Fairness fairness) {
        return new Policies(backpressure, retry, timeout, rateLimit, fairness);
    }
}
