package io.funcpipe.core.policy;

import java.time.Duration;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Uni;

/**
 * The run of {@link PolicyInterpreter#timeout(AsyncPlan)}: races one item's plan against a
 * {@link Ticker} timer. Whichever ends first wins and the other is cancelled, so a timed-out step
 * is cancelled (its late result discarded, its resources released) and a finished step stops the
 * timer.
 */
final class ItemTimeout {

    private ItemTimeout() {
    }

    static <T> AsyncPlan<T> plan(Duration deadline, Ticker ticker, AsyncPlan<T> plan) {
        if (deadline.isZero()) {
            return plan;
        }
        return AsyncPlan.defer(() -> {
            Uni<Result<T>> timedOut = ticker.delay(deadline).onItem().transform(ignored -> Result.<T>err(
                    ErrInfo.of(ErrCode.TIMEOUT, "the item's step did not finish within timeout.perItem = " + deadline
                            + "; it was cancelled").withDetail("deadline", deadline.toString())));
            return Uni.join().first(plan.open(), timedOut).toTerminate();
        });
    }
}
