package io.funcpipe.core.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Result;
import io.funcpipe.core.SerialDrain;
import io.smallrye.common.annotation.CheckReturnValue;
import io.smallrye.mutiny.helpers.Subscriptions;
import io.smallrye.mutiny.operators.AbstractMulti;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * A weighted fair merge of streams that share one downstream capacity: whenever downstream asks for
 * an item, the stream with items ready that is furthest behind its share (stride scheduling: each
 * item served adds {@code 1/weight} to its stream's pass; the smallest pass goes next) supplies it.
 * A stream that has nothing ready banks no credit, so it cannot burst past the others later.
 *
 * <p>This is a running object for a service: streams (jobs) are {@link #add added} while it runs
 * and leave when they end or their {@link Lane} is cancelled. Its {@link #output()} may be
 * subscribed once; it completes after {@link #close()} once every stream has ended. Cancelling the
 * output cancels every stream. Each stream holds at most its {@code prefetch} items in the merge.
 * A stream that fails turns into one {@code Err} item of that stream; the others go on.
 *
 * <p>For a fixed list, {@link #merge(List)} is a replayable description.
 */
public final class FairMerge<T> {

    private final Queue<Lane<T>> joining = new ConcurrentLinkedQueue<>();
    private final List<Lane<T>> lanes = new ArrayList<>();
    private final SerialDrain drainLoop = new SerialDrain(this::pass);
    private final AtomicLong requested = new AtomicLong();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile MultiSubscriber<? super Result<T>> downstream;
    private volatile boolean closed;
    private volatile boolean cancelled;
    private double virtualTime;

    private FairMerge() {
    }

    /** An empty, open merge; add streams, subscribe its output, close it when no more will come. */
    public static <T> FairMerge<T> create() {
        return new FairMerge<>();
    }

    /** A description of the fair merge of a fixed list of streams; each run merges fresh runs of them. */
    @CheckReturnValue
    public static <T> AsyncGen<T> merge(List<Weighted<T>> streams) {
        List<Weighted<T>> copy = List.copyOf(requireNonNull(streams, "streams"));
        return AsyncGen.defer(() -> {
            FairMerge<T> merge = create();
            copy.forEach(w -> merge.add(w.stream(), w.fairness()));
            merge.close();
            return merge.output().open();
        });
    }

    /** Adds a stream with {@code weight} and the default prefetch. */
    public Lane<T> add(AsyncGen<T> stream, int weight) {
        return add(stream, Fairness.of(weight));
    }

    /** Adds a stream with its share; it starts when the output is subscribed (at once if it is). */
    public Lane<T> add(AsyncGen<T> stream, Fairness fairness) {
        requireNonNull(stream, "stream");
        requireNonNull(fairness, "fairness");
        if (closed) {
            throw new IllegalStateException("this FairMerge is closed: no stream can be added");
        }
        Lane<T> lane = new Lane<>(stream, fairness, this::drain);
        joining.offer(lane);
        drain();
        return lane;
    }

    /** No more streams will be added: the output completes once the current ones have ended. */
    public void close() {
        closed = true;
        drain();
    }

    /** The merged stream; it may be opened (subscribed) once, a second subscriber gets a failure. */
    @CheckReturnValue
    public AsyncGen<T> output() {
        return AsyncGen.defer(Output::new);
    }

    private final class Output extends AbstractMulti<Result<T>> {
        @Override
        public void subscribe(MultiSubscriber<? super Result<T>> subscriber) {
            if (!subscribed.compareAndSet(false, true)) {
                Subscriptions.fail(subscriber, new IllegalStateException("a FairMerge output can be subscribed once"));
                return;
            }
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    if (n <= 0) {
                        cancel();
                        subscriber.onFailure(Subscriptions.getInvalidRequestException());
                        return;
                    }
                    Subscriptions.add(requested, n);
                    drain();
                }

                @Override
                public void cancel() {
                    cancelled = true;
                    drain();
                }
            });
            downstream = subscriber;
            drain();
        }
    }

    private void drain() {
        drainLoop.run();
    }

    /** One round of the drain loop ({@link SerialDrain}); false once the operator has terminated. */
    private boolean pass() {
        MultiSubscriber<? super Result<T>> out = downstream;
        if (cancelled) {
            cancelAll();
            return false;
        }
        if (out != null) {
            startJoining();
            long wanted = requested.get();
            long emitted = 0;
            while (emitted != wanted && !cancelled) {
                Lane<T> next = pick();
                if (next == null) {
                    break;
                }
                Result<T> item = next.take();
                if (item == null) {
                    continue;
                }
                virtualTime = next.pass;
                next.pass += 1.0 / next.fairness().weight();
                out.onItem(item);
                emitted++;
            }
            if (emitted != 0) {
                Subscriptions.produced(requested, emitted);
            }
            lanes.removeIf(Lane::finished);
            if (closed && joining.isEmpty() && lanes.isEmpty() && !cancelled) {
                cancelled = true;
                out.onCompletion();
                return false;
            }
        }
        return true;
    }

    private void startJoining() {
        Lane<T> lane;
        while ((lane = joining.poll()) != null) {
            lane.pass = virtualTime;
            lanes.add(lane);
            lane.start();
        }
    }

    /** The lane with an item ready and the smallest pass; idle lanes are brought up to the clock. */
    private Lane<T> pick() {
        Lane<T> best = null;
        for (Lane<T> lane : lanes) {
            if (!lane.ready()) {
                lane.pass = Math.max(lane.pass, virtualTime);
            } else if (best == null || lane.pass < best.pass) {
                best = lane;
            }
        }
        return best;
    }

    private void cancelAll() {
        Lane<T> lane;
        while ((lane = joining.poll()) != null) {
            lane.cancel();
        }
        lanes.forEach(Lane::cancel);
        lanes.clear();
    }
}
