package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Uni;

/**
 * One operation's hold on an open index of the {@link IndexRegistry}: while any lease on an index is
 * held, the registry neither closes it when idle nor evicts it to make room. Released exactly once:
 * {@link #run} releases when its operation ends (item, failure or cancellation); a holder that uses
 * {@link #index()} directly calls {@link #release()} when done (later calls do nothing).
 */
final class IndexLease {

    private final LuceneVectorIndex index;
    private final Runnable onRelease;
    private final AtomicBoolean released = new AtomicBoolean();

    IndexLease(LuceneVectorIndex index, Runnable onRelease) {
        this.index = requireNonNull(index, "index");
        this.onRelease = requireNonNull(onRelease, "onRelease");
    }

    /** The open index; use it only until {@link #release()}. */
    LuceneVectorIndex index() {
        return index;
    }

    /**
     * Runs {@code op} on the index and releases the lease when it ends; an {@code op} that throws
     * is a failed {@code Uni} (released too). Subscribe to the result exactly once.
     */
    <T> Uni<Result<T>> run(Function<? super LuceneVectorIndex, AsyncPlan<T>> op) {
        requireNonNull(op, "op");
        return Uni.createFrom().deferred(() -> op.apply(index).open()).onTermination().invoke(this::release);
    }

    /** Ends the hold: the index may be closed once no other lease holds it. Idempotent. */
    void release() {
        if (released.compareAndSet(false, true)) {
            onRelease.run();
        }
    }
}
