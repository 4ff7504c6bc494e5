package io.funcpipe.core;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * One run's hold on a resource of {@link AsyncGen#using}: it remembers the resource once acquired
 * and releases it exactly once, whichever comes first of completion, failure and cancellation,
 * including a cancellation that races with the end of an asynchronous acquire.
 */
final class Lease<R> {

    private static final System.Logger LOG = System.getLogger(Lease.class.getName());

    private final Function<? super R, ? extends Uni<Void>> release;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile R resource;
    private volatile boolean cancelled;

    Lease(Function<? super R, ? extends Uni<Void>> release) {
        this.release = release;
    }

    /**
     * Runs {@code acquire}. Acquisition is not interrupted by a cancellation: a resource that
     * arrives after the run was cancelled is released at once instead of being lost.
     */
    Uni<Result<R>> acquire(AsyncPlan<R> acquire) {
        return Uni.createFrom().emitter(emitter -> acquire.open().subscribe().with(result -> {
            if (result instanceof Ok<R>(R acquired)) {
                resource = acquired;
                if (cancelled) {
                    releaseQuietly("after cancellation during acquire");
                    return;
                }
            }
            emitter.complete(result);
        }, emitter::fail));
    }

    /** The run was cancelled: release the resource if it is already held, or as soon as it arrives. */
    void cancel() {
        cancelled = true;
        if (resource != null) {
            releaseQuietly("after cancellation");
        }
    }

    /**
     * Releases at the end of a completed run: no item, or one {@link ErrCode#RELEASE_FAILED} item
     * when release fails. Nothing if the resource was already released.
     */
    <T> Multi<Result<T>> releaseAtCompletion() {
        if (!claim()) {
            return Multi.createFrom().empty();
        }
        return safeRelease(resource)
                .onItem().transformToMulti(ignored -> Multi.createFrom().<Result<T>>empty())
                .onFailure().recoverWithMulti(e -> Multi.createFrom().item(
                        Result.err(ErrInfo.fromException(ErrCode.RELEASE_FAILED, e))));
    }

    /** Releases with nobody listening for the outcome (a failure is logged), unless already released. */
    void releaseQuietly(String when) {
        R held = resource;
        if (held == null || !claim()) {
            return;
        }
        safeRelease(held).subscribe().with(
                ignored -> { },
                e -> LOG.log(Level.WARNING, "releasing a resource " + when + " failed: " + e, e));
    }

    private boolean claim() {
        return released.compareAndSet(false, true);
    }

    private Uni<Void> safeRelease(R held) {
        Uni<Void> uni;
        try {
            uni = release.apply(held);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
        return uni == null ? Uni.createFrom().voidItem() : uni;
    }
}
