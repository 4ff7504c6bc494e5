package io.funcpipe.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.Subscriptions;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.multi.AbstractMultiOperator;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * {@link AsyncGen#batch}: groups items into lists of at most {@code size}, emitting a partial list
 * once its first item has waited {@code maxWait}. It asks upstream for one batch worth of items at
 * a time, and only while downstream has demand, so at most {@code size} items are ever held.
 * (Mutiny's own {@code group().intoLists().of(size, duration)} asks for {@code n * size} items and
 * fails with a back-pressure error when a timed flush finds no demand; this one waits instead.)
 */
final class BatchOp<T> extends AbstractMultiOperator<T, List<T>> {

    private final int size;
    private final Duration maxWait;

    BatchOp(Multi<T> upstream, int size, Duration maxWait) {
        super(upstream);
        this.size = size;
        this.maxWait = maxWait;
    }

    @Override
    public void subscribe(MultiSubscriber<? super List<T>> downstream) {
        upstream.subscribe().withSubscriber(new Main<>(downstream, size, maxWait.toNanos()));
    }

    /** All state is guarded by {@code this}; emission happens under the lock to keep batches in order. */
    private static final class Main<T> implements MultiSubscriber<T>, Flow.Subscription {
        private final MultiSubscriber<? super List<T>> downstream;
        private final int size;
        private final long maxWaitNanos;
        private Flow.Subscription upstream;
        private List<T> current;
        private long demand;
        private long outstanding;
        private boolean expired;
        private boolean done;
        private boolean terminated;
        /** When the current batch got its first item ({@link System#nanoTime()}). */
        private long batchStartedAt;
        /** The one pending timer, or null; it is never cancelled for a flush, only re-armed when it fires. */
        private ScheduledFuture<?> timer;

        Main(MultiSubscriber<? super List<T>> downstream, int size, long maxWaitNanos) {
            this.downstream = downstream;
            this.size = size;
            this.maxWaitNanos = maxWaitNanos;
            this.current = new ArrayList<>(Math.min(size, 1024));
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            synchronized (this) {
                upstream = subscription;
            }
            downstream.onSubscribe(this);
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
            if (!current.isEmpty() && (expired || done || current.size() == size)) {
                emit();
            }
            settle();
        }

        @Override
        public synchronized void onItem(T item) {
            if (terminated) {
                return;
            }
            current.add(item);
            outstanding--;
            if (current.size() == 1) {
                batchStartedAt = System.nanoTime();
                if (timer == null) {
                    schedule(maxWaitNanos);
                }
            }
            if (current.size() == size && demand > 0) {
                emit();
            }
            settle();
        }

        @Override
        public synchronized void onFailure(Throwable failure) {
            if (terminated) {
                return;
            }
            terminate();
            downstream.onFailure(failure);
        }

        @Override
        public synchronized void onCompletion() {
            if (terminated) {
                return;
            }
            done = true;
            if (!current.isEmpty() && demand > 0) {
                emit();
            }
            settle();
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

        private synchronized void timerFired() {
            timer = null;
            if (terminated || current.isEmpty() || expired) {
                return;
            }
            long waited = System.nanoTime() - batchStartedAt;
            if (waited < maxWaitNanos) {
                schedule(maxWaitNanos - waited);
                return;
            }
            if (demand > 0) {
                emit();
                settle();
            } else {
                expired = true;
            }
        }

        /** Completes when everything is out, or asks upstream for the next batch when there is demand. */
        private void settle() {
            if (terminated) {
                return;
            }
            if (done) {
                if (current.isEmpty()) {
                    terminate();
                    downstream.onCompletion();
                }
                return;
            }
            if (outstanding == 0 && demand > 0 && current.size() < size) {
                long want = size - current.size();
                outstanding = want;
                upstream.request(want);
            }
        }

        private void emit() {
            List<T> batch = current;
            current = new ArrayList<>(Math.min(size, 1024));
            expired = false;
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            downstream.onItem(batch);
        }

        /**
         * Arms the one timer. Cancelling a timer at every flush would leave one dead task per batch
         * in the shared scheduler's queue until its delay ran out (Mutiny's scheduler does not
         * remove cancelled tasks): with small batches and a long {@code maxWait} that queue grew with
         * the input. A timer that fires early for a newer batch re-arms for the time left instead.
         */
        private void schedule(long delayNanos) {
            timer = Infrastructure.getDefaultWorkerPool().schedule(this::timerFired, delayNanos, TimeUnit.NANOSECONDS);
        }

        private void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void terminate() {
            terminated = true;
            cancelTimer();
            current = List.of();
        }
    }
}
