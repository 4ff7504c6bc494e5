package io.funcpipe.core;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.Subscriptions;
import io.smallrye.mutiny.operators.multi.AbstractMultiOperator;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * {@link AsyncGen#mapAsync}: starts the step for up to {@code concurrency} items at once and emits
 * their results in input order. Upstream is asked for one more item each time one is emitted, so
 * at most {@code concurrency} items are in flight or waiting.
 */
final class MapAsyncOrderedOp<T, U> extends AbstractMultiOperator<Result<T>, Result<U>> {

    private final Function<? super T, ? extends Uni<Result<U>>> step;
    private final int concurrency;

    MapAsyncOrderedOp(Multi<Result<T>> upstream, Function<? super T, ? extends Uni<Result<U>>> step, int concurrency) {
        super(upstream);
        this.step = step;
        this.concurrency = concurrency;
    }

    @Override
    public void subscribe(MultiSubscriber<? super Result<U>> downstream) {
        upstream.subscribe().withSubscriber(new Main<>(downstream, step, concurrency));
    }

    /** One item's place in the output order; {@code result} is set once the step completes. */
    private static final class Slot<U> {
        volatile Result<U> result;
        volatile Cancellable running;
    }

    private static final class Main<T, U> implements MultiSubscriber<Result<T>>, Flow.Subscription {
        private final MultiSubscriber<? super Result<U>> downstream;
        private final Function<? super T, ? extends Uni<Result<U>>> step;
        private final int concurrency;
        private final Queue<Slot<U>> slots = new ConcurrentLinkedQueue<>();
        private final SerialDrain drainLoop = new SerialDrain(this::pass);
        private final AtomicLong requested = new AtomicLong();
        private volatile Flow.Subscription upstream;
        private volatile boolean done;
        private volatile boolean cancelled;
        private volatile Throwable failure;

        Main(MultiSubscriber<? super Result<U>> downstream, Function<? super T, ? extends Uni<Result<U>>> step,
             int concurrency) {
            this.downstream = downstream;
            this.step = step;
            this.concurrency = concurrency;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            downstream.onSubscribe(this);
            subscription.request(concurrency);
        }

        @Override
        public void onItem(Result<T> item) {
            if (done || cancelled) {
                return;
            }
            Slot<U> slot = new Slot<>();
            slots.offer(slot);
            switch (item) {
                case Err<T> err -> slot.result = err.cast();
                case Ok<T>(T value) -> start(slot, value);
            }
            drain();
        }

        private void start(Slot<U> slot, T value) {
            Uni<Result<U>> uni = AsyncPlan.<U>defer(() -> step.apply(value)).open();
            slot.running = uni.subscribe().with(result -> {
                slot.result = result;
                drain();
            });
        }

        @Override
        public void onFailure(Throwable t) {
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
            if (cancelled) {
                cancelAll();
                return false;
            }
            if (failure != null) {
                cancelAll();
                downstream.onFailure(failure);
                return false;
            }
            long wanted = requested.get();
            long emitted = 0;
            while (emitted != wanted) {
                Slot<U> head = slots.peek();
                if (head == null || head.result == null || cancelled) {
                    break;
                }
                slots.poll();
                downstream.onItem(head.result);
                emitted++;
                upstream.request(1);
            }
            if (emitted != 0) {
                Subscriptions.produced(requested, emitted);
            }
            if (done && !cancelled && slots.isEmpty()) {
                cancelled = true;
                downstream.onCompletion();
                return false;
            }
            return true;
        }

        private void cancelAll() {
            Slot<U> slot;
            while ((slot = slots.poll()) != null) {
                Cancellable running = slot.running;
                if (running != null) {
                    running.cancel();
                }
            }
        }
    }
}
