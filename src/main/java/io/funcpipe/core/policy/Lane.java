package io.funcpipe.core.policy;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.helpers.Subscriptions;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * One stream's place in a {@link FairMerge}: it holds at most {@code prefetch} of the stream's
 * items ready and asks the stream for one more each time the merge takes one. Cancel it to remove
 * the stream (for example when its job is cancelled); a stream that ends leaves by itself.
 *
 * @param <T> the type of the stream's values
 */
public final class Lane<T> {

    private final AsyncGen<T> stream;
    private final Fairness fairness;
    private final Runnable changed;
    private final Queue<Result<T>> ready = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private volatile boolean done;
    private volatile boolean cancelled;
    private volatile long taken;
    /** The merge's scheduling clock for this lane; touched only by the merge's drain loop. */
    double pass;

    Lane(AsyncGen<T> stream, Fairness fairness, Runnable changed) {
        this.stream = stream;
        this.fairness = fairness;
        this.changed = changed;
    }

    /** The share this stream was added with. */
    public Fairness fairness() {
        return fairness;
    }

    /** Items of this stream the merge has emitted so far. */
    public long emitted() {
        return taken;
    }

    /** Whether this stream has left the merge (ended, failed or cancelled, and nothing left to emit). */
    public boolean isDone() {
        return finished();
    }

    /** Removes this stream from the merge: cancels it and drops its ready items. */
    public void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription.getAndSet(Subscriptions.CANCELLED);
        if (s != null && s != Subscriptions.CANCELLED) {
            s.cancel();
        }
        ready.clear();
        changed.run();
    }

    void start() {
        if (cancelled) {
            return;
        }
        stream.open().subscribe().withSubscriber(new MultiSubscriber<Result<T>>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                if (subscription.compareAndSet(null, s)) {
                    s.request(fairness.prefetch());
                } else {
                    s.cancel();
                }
            }

            @Override
            public void onItem(Result<T> item) {
                if (!cancelled) {
                    ready.offer(item);
                    changed.run();
                }
            }

            @Override
            public void onFailure(Throwable failure) {
                if (!cancelled) {
                    ready.offer(Result.err(ErrInfo.fromException(ErrCode.EXCEPTION, failure)
                            .withMessage("the stream failed and left the fair merge: " + failure)));
                }
                done = true;
                changed.run();
            }

            @Override
            public void onCompletion() {
                done = true;
                changed.run();
            }
        });
    }

    boolean ready() {
        return !cancelled && !ready.isEmpty();
    }

    /** Takes the next ready item and asks the stream for one more; null if the lane was cancelled meanwhile. */
    Result<T> take() {
        Result<T> item = ready.poll();
        if (item == null) {
            return null;
        }
        taken++;
        Flow.Subscription s = subscription.get();
        if (!done && s != null) {
            s.request(1);
        }
        return item;
    }

    boolean finished() {
        return cancelled || (done && ready.isEmpty());
    }
}
