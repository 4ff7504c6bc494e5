package io.funcpipe.core.policy;

import java.util.ArrayDeque;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.core.SerialDrain;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.Subscriptions;
import io.smallrye.mutiny.operators.multi.AbstractMultiOperator;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * {@link PolicyInterpreter#buffer}: a queue of at most {@code bufferSize} items between producer and
 * consumer. With {@link Overflow#WAIT} upstream is asked only for the free room, so the queue
 * cannot overflow; with {@link Overflow#DROP_OLDEST} and {@link Overflow#FAIL} upstream is asked for
 * everything and a full queue drops its oldest item (reported by one {@code OVERFLOW} marker per run
 * of drops) or ends the stream with one {@code OVERFLOW} item. The queue and the drop counter are
 * guarded by {@code this}; emission runs in one drain loop at a time, outside the lock.
 */
final class BufferOp<T> extends AbstractMultiOperator<Result<T>, Result<T>> {

    private final Backpressure policy;

    BufferOp(Multi<Result<T>> upstream, Backpressure policy) {
        super(upstream);
        this.policy = policy;
    }

    @Override
    public void subscribe(MultiSubscriber<? super Result<T>> downstream) {
        upstream.subscribe().withSubscriber(new Main<>(downstream, policy));
    }

    private static final class Main<T> implements MultiSubscriber<Result<T>>, Flow.Subscription {
        private final MultiSubscriber<? super Result<T>> downstream;
        private final int size;
        private final Overflow overflow;
        private final ArrayDeque<Result<T>> queue;
        private final SerialDrain drainLoop = new SerialDrain(this::pass);
        private final AtomicLong requested = new AtomicLong();
        private volatile Flow.Subscription upstream;
        private long dropped;
        private volatile boolean done;
        private volatile boolean overflowed;
        private volatile boolean cancelled;
        private volatile Throwable failure;

        Main(MultiSubscriber<? super Result<T>> downstream, Backpressure policy) {
            this.downstream = downstream;
            this.size = policy.bufferSize();
            this.overflow = policy.overflow();
            this.queue = new ArrayDeque<>(Math.min(size, 4096));
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            downstream.onSubscribe(this);
            subscription.request(overflow == Overflow.WAIT ? size : Long.MAX_VALUE);
        }

        @Override
        public void onItem(Result<T> item) {
            if (done || cancelled) {
                return;
            }
            boolean full;
            synchronized (this) {
                full = queue.size() == size;
                if (!full) {
                    queue.offer(item);
                } else if (overflow == Overflow.DROP_OLDEST) {
                    queue.poll();
                    dropped++;
                    queue.offer(item);
                    full = false;
                }
            }
            if (full) {
                upstream.cancel();
                if (overflow == Overflow.WAIT) {
                    failure = new BackPressureFailure("the producer ignored demand: buffer of " + size + " is full");
                } else {
                    overflowed = true;
                }
                done = true;
            }
            drain();
        }

        @Override
        public void onFailure(Throwable t) {
            if (done) {
                return;
            }
            failure = t;
            done = true;
            drain();
        }

        @Override
        public void onCompletion() {
            done = true;
            drain();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                downstream.onFailure(Subscriptions.getInvalidRequestException());
                return;
            }
            Subscriptions.add(requested, n);
            drain();
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                upstream.cancel();
                drain();
            }
        }

        private void drain() {
            drainLoop.run();
        }

        /** One round of the drain loop ({@link SerialDrain}); false once the operator has terminated. */
        private boolean pass() {
            long wanted = requested.get();
            long emitted = 0;
            long taken = 0;
            while (emitted != wanted && !cancelled) {
                Result<T> next;
                synchronized (this) {
                    if (dropped > 0) {
                        next = Result.err(droppedMarker(dropped));
                        dropped = 0;
                    } else {
                        next = queue.poll();
                        taken += next == null ? 0 : 1;
                    }
                }
                if (next == null) {
                    break;
                }
                downstream.onItem(next);
                emitted++;
            }
            if (emitted != 0) {
                Subscriptions.produced(requested, emitted);
            }
            if (cancelled) {
                synchronized (this) {
                    queue.clear();
                }
                return false;
            }
            if (taken != 0 && overflow == Overflow.WAIT && !done) {
                upstream.request(taken);
            }
            if (done && isEmpty() && finish()) {
                return false;
            }
            return true;
        }

        private synchronized boolean isEmpty() {
            return queue.isEmpty() && dropped == 0;
        }

        /** Ends the stream once everything is out; an overflow end needs demand for its last item. */
        private boolean finish() {
            if (failure != null) {
                cancelled = true;
                downstream.onFailure(failure);
                return true;
            }
            if (overflowed) {
                if (requested.get() == 0) {
                    return false;
                }
                cancelled = true;
                downstream.onItem(Result.err(ErrInfo.of(ErrCode.OVERFLOW, "the buffer of " + size
                        + " items was full and backpressure.overflow is FAIL: the producer was stopped")
                        .withDetail("bufferSize", Integer.toString(size))));
                downstream.onCompletion();
                return true;
            }
            cancelled = true;
            downstream.onCompletion();
            return true;
        }

        private ErrInfo droppedMarker(long count) {
            return ErrInfo.of(ErrCode.OVERFLOW, "the consumer fell behind: " + count + " oldest item(s) dropped from a"
                            + " full buffer of " + size + " (backpressure.overflow is DROP_OLDEST)")
                    .withDetail("dropped", Long.toString(count))
                    .withDetail("bufferSize", Integer.toString(size));
        }
    }
}
