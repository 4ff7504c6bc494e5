package io.funcpipe.core.policy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Uni;

/**
 * The run of {@link PolicyInterpreter#retry}: re-opens one item's plan after an {@code Err} with a
 * retryable code, waiting the policy's backoff on the {@link Ticker}. The counters live in one run
 * (one subscription), so nested retries and replays never share them. Cancelling the run cancels
 * the attempt or the backoff timer under way; nothing further starts.
 */
final class Retry<T> {

    private final RetryPolicy policy;
    private final Ticker ticker;
    private final AsyncPlan<T> plan;
    private final long startNanos;

    private Retry(RetryPolicy policy, Ticker ticker, AsyncPlan<T> plan) {
        this.policy = policy;
        this.ticker = ticker;
        this.plan = plan;
        this.startNanos = ticker.nanoTime();
    }

    static <T> AsyncPlan<T> plan(RetryPolicy policy, Ticker ticker, AsyncPlan<T> plan) {
        return AsyncPlan.defer(() -> new Retry<>(policy, ticker, plan).attempt(1));
    }

    private Uni<Result<T>> attempt(int attempt) {
        return plan.open().onItem().transformToUni(result -> switch (result) {
            case Ok<T> ok -> Uni.createFrom().item(ok);
            case Err<T>(ErrInfo error) -> afterErr(error, attempt);
        });
    }

    private Uni<Result<T>> afterErr(ErrInfo error, int attempt) {
        if (!policy.retries(error.code()) || attempt >= policy.maxAttempts()) {
            return last(error, attempt, null);
        }
        Duration delay = policy.delayBefore(attempt, ThreadLocalRandom.current().nextDouble());
        long spent = ticker.nanoTime() - startNanos;
        if (spent + delay.toNanos() > policy.expireIn().toNanos()) {
            return last(error, attempt, policy.expireIn());
        }
        return ticker.delay(delay).onItem().transformToUni(ignored -> attempt(attempt + 1));
    }

    private Uni<Result<T>> last(ErrInfo error, int attempts, Duration expired) {
        ErrInfo last = error.withDetail("attempts", Integer.toString(attempts));
        if (expired != null) {
            last = last.withDetail("retryExpiredAfter", expired.toString());
        }
        return Uni.createFrom().item(Result.err(last));
    }
}
