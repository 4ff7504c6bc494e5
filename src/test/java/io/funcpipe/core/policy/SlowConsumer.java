package io.funcpipe.core.policy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.funcpipe.core.Result;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * A consumer that asks for one item at a time, a little while after the previous one, on its own
 * thread; on each item it records how many produced items are not yet consumed.
 */
final class SlowConsumer<T> implements MultiSubscriber<Result<T>> {

    final List<Result<T>> received = new CopyOnWriteArrayList<>();
    final AtomicLong maxHeld = new AtomicLong();
    final CountDownLatch done = new CountDownLatch(1);
    private final ScheduledExecutorService thread;
    private final AtomicLong produced;
    private volatile Flow.Subscription subscription;

    SlowConsumer(ScheduledExecutorService thread, AtomicLong produced) {
        this.thread = thread;
        this.produced = produced;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        thread.execute(() -> s.request(1));
    }

    @Override
    public void onItem(Result<T> item) {
        received.add(item);
        maxHeld.accumulateAndGet(produced.get() - received.size(), Math::max);
        thread.schedule(() -> subscription.request(1), 20, TimeUnit.MICROSECONDS);
    }

    @Override
    public void onFailure(Throwable failure) {
        done.countDown();
    }

    @Override
    public void onCompletion() {
        done.countDown();
    }
}
