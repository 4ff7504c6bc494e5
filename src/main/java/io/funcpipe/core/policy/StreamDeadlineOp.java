package io.funcpipe.core.policy;

import java.time.Duration;
import java.util.concurrent.Flow;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.Subscriptions;
import io.smallrye.mutiny.operators.multi.AbstractMultiOperator;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * {@link PolicyInterpreter#deadline}: passes items through until {@code deadline} has passed since
 * subscription, then cancels upstream and ends with one {@code TIMEOUT} item (emitted when
 * downstream has demand for it). A stream that ends in time stops the timer. State is guarded by
 * {@code this}; emission happens under the lock so the timeout item cannot overtake an item.
 */
final class StreamDeadlineOp<T> extends AbstractMultiOperator<Result<T>, Result<T>> {

    private final Duration deadline;
    private final Ticker ticker;

    StreamDeadlineOp(Multi<Result<T>> upstream, Duration deadline, Ticker ticker) {
        super(upstream);
        this.deadline = deadline;
        this.ticker = ticker;
    }

    @Override
    public void subscribe(MultiSubscriber<? super Result<T>> downstream) {
        upstream.subscribe().withSubscriber(new Main<>(downstream, deadline, ticker));
    }

    private static final class Main<T> implements MultiSubscriber<Result<T>>, Flow.Subscription {
        private final MultiSubscriber<? super Result<T>> downstream;
        private final Duration deadline;
        private final Ticker ticker;
        private Flow.Subscription upstream;
        private Cancellable timer;
        private long demand;
        private boolean expired;
        private boolean terminated;

        Main(MultiSubscriber<? super Result<T>> downstream, Duration deadline, Ticker ticker) {
            this.downstream = downstream;
            this.deadline = deadline;
            this.ticker = ticker;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            synchronized (this) {
                upstream = subscription;
            }
            downstream.onSubscribe(this);
            Cancellable started = ticker.delay(deadline).subscribe().with(ignored -> expire());
            synchronized (this) {
                if (terminated) {
                    started.cancel();
                } else {
                    timer = started;
                }
            }
        }

        @Override
        public synchronized void onItem(Result<T> item) {
            if (terminated || expired) {
                return;
            }
            demand--;
            downstream.onItem(item);
        }

        @Override
        public synchronized void onFailure(Throwable failure) {
            if (terminated || expired) {
                return;
            }
            terminate();
            downstream.onFailure(failure);
        }

        @Override
        public synchronized void onCompletion() {
            if (terminated || expired) {
                return;
            }
            terminate();
            downstream.onCompletion();
        }

        @Override
        public synchronized void request(long n) {
            if (terminated) {
                return;
            }
            if (n <= 0) {
                terminate();
                upstream.cancel();
                downstream.onFailure(Subscriptions.getInvalidRequestException());
                return;
            }
            demand = Subscriptions.add(demand, n);
            if (expired) {
                emitTimeout();
            } else {
                upstream.request(n);
            }
        }

        @Override
        public void cancel() {
            Flow.Subscription up;
            synchronized (this) {
                if (terminated) {
                    return;
                }
                terminate();
                up = upstream;
            }
            up.cancel();
        }

        private synchronized void expire() {
            if (terminated || expired) {
                return;
            }
            expired = true;
            upstream.cancel();
            if (demand > 0) {
                emitTimeout();
            }
        }

        private void emitTimeout() {
            terminate();
            downstream.onItem(Result.err(ErrInfo.of(ErrCode.TIMEOUT, "the stream did not finish within "
                    + "timeout.perStream = " + deadline + "; it was cancelled").withDetail("deadline", deadline.toString())));
            downstream.onCompletion();
        }

        private void terminate() {
            terminated = true;
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }
    }
}
