package io.funcpipe.core.policy;

import java.util.concurrent.atomic.AtomicInteger;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Uni;

/**
 * Counts what a step does with its resources: subscriptions (acquired) against terminations by
 * item or cancellation (released). A step built here never finishes unless told to, so timeouts
 * and cancellations can be checked for leaks.
 */
final class Probe {

    final AtomicInteger subscribed = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();

    /** A step that acquires on subscription and never emits; it is released only by cancellation. */
    <T> AsyncPlan<T> hanging() {
        return AsyncPlan.defer(() -> Uni.createFrom().<Result<T>>emitter(emitter -> subscribed.incrementAndGet())
                .onCancellation().invoke(cancelled::incrementAndGet));
    }

    /** A step that emits {@code result} at once, counting the acquisition and the release. */
    <T> AsyncPlan<T> immediate(Result<T> result) {
        return AsyncPlan.defer(() -> Uni.createFrom().item(result)
                .onSubscription().invoke(subscribed::incrementAndGet)
                .onItem().invoke(finished::incrementAndGet)
                .onCancellation().invoke(cancelled::incrementAndGet));
    }

    /** Acquired resources not yet released. */
    int leaked() {
        return subscribed.get() - finished.get() - cancelled.get();
    }
}
