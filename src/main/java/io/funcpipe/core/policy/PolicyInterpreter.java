package io.funcpipe.core.policy;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.smallrye.common.annotation.CheckReturnValue;

/**
 * Applies a job's {@link Policies} to descriptions: every method takes an {@link AsyncPlan} (one
 * item's step) or an {@link AsyncGen} (a stream) and returns a new description; nothing runs until
 * it is opened. An interpreter is immutable and may be shared by every stream of a job.
 *
 * <p>Per item ({@link #call}): each attempt waits for a rate-limit permit, then runs under the
 * per-item deadline; an {@code Err} with a retryable code (a deadline miss is {@code TIMEOUT}) is
 * retried under the retry policy. Per stream ({@link #apply}): the stream deadline, then the
 * bounded buffer. {@link #mapAsync} combines both for a stage that calls a service per item.
 */
public final class PolicyInterpreter {

    private final Policies policies;
    private final RateLimiter limiter;
    private final boolean ownLimiter;
    private final Ticker ticker;

    private PolicyInterpreter(Policies policies, RateLimiter limiter, boolean ownLimiter, Ticker ticker) {
        this.policies = policies;
        this.limiter = limiter;
        this.ownLimiter = ownLimiter;
        this.ticker = ticker;
    }

    /**
     * An interpreter on real time. If the policies have a rate limit, it gets its own
     * {@link RateLimiter}, shared by everything this interpreter applies; to share one limiter
     * between jobs, use {@link #of(Policies, RateLimiter)}.
     */
    public static PolicyInterpreter of(Policies policies) {
        requireNonNull(policies, "policies");
        return new PolicyInterpreter(policies, ownLimiter(policies, Ticker.MUTINY), true, Ticker.MUTINY);
    }

    /** An interpreter that takes permits from {@code limiter} (shared, for example, by all jobs). */
    public static PolicyInterpreter of(Policies policies, RateLimiter limiter) {
        return new PolicyInterpreter(requireNonNull(policies, "policies"), requireNonNull(limiter, "limiter"), false,
                Ticker.MUTINY);
    }

    /**
     * A copy whose deadlines and backoffs run on {@code ticker} (a virtual clock in tests); its own
     * rate limiter, if any, is made anew on that ticker (a limiter it was given stays as it is).
     */
    @CheckReturnValue
    public PolicyInterpreter withTicker(Ticker ticker) {
        requireNonNull(ticker, "ticker");
        return new PolicyInterpreter(policies, ownLimiter ? ownLimiter(policies, ticker) : limiter, ownLimiter, ticker);
    }

    private static RateLimiter ownLimiter(Policies policies, Ticker ticker) {
        return policies.rateLimit() == null ? null : RateLimiter.of(policies.rateLimit(), ticker);
    }

    /** The policies this interpreter applies. */
    public Policies policies() {
        return policies;
    }

    // ---------------------------------------------------------------- one item

    /** One item's step under every per-item policy: rate limit and deadline per attempt, retried. */
    @CheckReturnValue
    public <T> AsyncPlan<T> call(AsyncPlan<T> step) {
        return retry(timeout(limit(step)));
    }

    /** The step retried under {@link Policies#retry()}; the last {@code Err} carries {@code attempts}. */
    @CheckReturnValue
    public <T> AsyncPlan<T> retry(AsyncPlan<T> step) {
        return Retry.plan(policies.retry(), ticker, requireNonNull(step, "step"));
    }

    /** The step under the per-item deadline: past it, the step is cancelled and the item is {@code TIMEOUT}. */
    @CheckReturnValue
    public <T> AsyncPlan<T> timeout(AsyncPlan<T> step) {
        return ItemTimeout.plan(policies.timeout().perItem(), ticker, requireNonNull(step, "step"));
    }

    /** The step run once it has a permit from the rate limiter; unchanged when there is no rate limit. */
    @CheckReturnValue
    public <T> AsyncPlan<T> limit(AsyncPlan<T> step) {
        requireNonNull(step, "step");
        return limiter == null ? step : limiter.limit(step);
    }

    // ---------------------------------------------------------------- streams

    /** The stream under its deadline, then behind the bounded buffer. */
    @CheckReturnValue
    public <T> AsyncGen<T> apply(AsyncGen<T> gen) {
        return buffer(deadline(gen));
    }

    /**
     * A stage that runs {@code step} on every {@code Ok} value, at most {@code concurrency} at once,
     * each under {@link #call}; the result stream is under {@link #apply}.
     */
    @CheckReturnValue
    public <T, U> AsyncGen<U> mapAsync(AsyncGen<T> gen, int concurrency, Function<? super T, AsyncPlan<U>> step) {
        requireNonNull(gen, "gen");
        requireNonNull(step, "step");
        return apply(gen.mapAsync(concurrency, value -> call(step.apply(value)).open()));
    }

    /** The stream behind a buffer of {@link Policies#backpressure()}. */
    @CheckReturnValue
    public <T> AsyncGen<T> buffer(AsyncGen<T> gen) {
        requireNonNull(gen, "gen");
        Backpressure policy = policies.backpressure();
        return AsyncGen.defer(() -> new BufferOp<>(gen.open(), policy));
    }

    /** The stream under the per-stream deadline; unchanged when there is none. */
    @CheckReturnValue
    public <T> AsyncGen<T> deadline(AsyncGen<T> gen) {
        requireNonNull(gen, "gen");
        var perStream = policies.timeout().perStream();
        return perStream.isZero() ? gen : AsyncGen.defer(() -> new StreamDeadlineOp<>(gen.open(), perStream, ticker));
    }

    /** The stream with each item held until the rate limiter grants it a permit. */
    @CheckReturnValue
    public <T> AsyncGen<T> limit(AsyncGen<T> gen) {
        requireNonNull(gen, "gen");
        return limiter == null ? gen : limiter.limit(gen);
    }

    /** Adds {@code gen} (this job's stream) to a shared {@link FairMerge} with this job's {@link Policies#fairness()}. */
    public <T> Lane<T> join(FairMerge<T> merge, AsyncGen<T> gen) {
        return requireNonNull(merge, "merge").add(gen, policies.fairness());
    }
}
