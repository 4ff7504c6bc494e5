package io.funcpipe.core;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** The run of {@link AsyncGen#using}: acquire, stream, release exactly once. */
final class Using {

    private static final System.Logger LOG = System.getLogger(Using.class.getName());

    private Using() {
    }

    static <R, T> Multi<Result<T>> open(AsyncPlan<R> acquire,
                                        Function<? super R, ? extends Uni<Void>> release,
                                        Function<? super R, AsyncGen<T>> use) {
        return acquireOrRelease(acquire, release).onItem().transformToMulti(acquired -> switch (acquired) {
            case Ok<R>(R resource) -> session(resource, release, use);
            case Err<R>(ErrInfo error) -> Multi.createFrom().item(Result.<T>err(acquireFailed(error)));
        });
    }

    /**
     * Acquires the resource; if the subscriber cancelled while acquisition was under way, the
     * resource that arrives afterwards is released at once instead of being lost.
     */
    private static <R> Uni<Result<R>> acquireOrRelease(AsyncPlan<R> acquire,
                                                       Function<? super R, ? extends Uni<Void>> release) {
        return Uni.createFrom().emitter(emitter -> {
            AtomicInteger state = new AtomicInteger(PENDING);
            emitter.onTermination(() -> state.compareAndSet(PENDING, CANCELLED));
            acquire.open().subscribe().with(result -> {
                if (state.compareAndSet(PENDING, DELIVERED)) {
                    emitter.complete(result);
                } else if (result instanceof Ok<R>(R late)) {
                    releaseQuietly(release, late, "after cancellation during acquire");
                }
            }, emitter::fail);
        });
    }

    private static <R, T> Multi<Result<T>> session(R resource,
                                                   Function<? super R, ? extends Uni<Void>> release,
                                                   Function<? super R, AsyncGen<T>> use) {
        AtomicBoolean released = new AtomicBoolean();
        Multi<Result<T>> body = AsyncGen.defer(() -> use.apply(resource).open()).open();
        Multi<Result<T>> releaseOnCompletion = Multi.createFrom().deferred(() -> released.compareAndSet(false, true)
                ? safeRelease(release, resource)
                        .onItem().transformToMulti(ignored -> Multi.createFrom().<Result<T>>empty())
                        .onFailure().recoverWithMulti(e -> Multi.createFrom().item(
                                Result.err(ErrInfo.fromException(ErrCode.RELEASE_FAILED, e))))
                : Multi.createFrom().empty());
        return Multi.createBy().concatenating().streams(body, releaseOnCompletion)
                .onTermination().invoke((failure, cancelled) -> {
                    if (released.compareAndSet(false, true)) {
                        releaseQuietly(release, resource, cancelled ? "after cancellation" : "after failure");
                    }
                });
    }

    private static <R> Uni<Void> safeRelease(Function<? super R, ? extends Uni<Void>> release, R resource) {
        Uni<Void> uni;
        try {
            uni = release.apply(resource);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
        return uni == null ? Uni.createFrom().voidItem() : uni;
    }

    private static <R> void releaseQuietly(Function<? super R, ? extends Uni<Void>> release, R resource, String when) {
        safeRelease(release, resource).subscribe().with(
                ignored -> { },
                e -> LOG.log(Level.WARNING, "releasing a resource " + when + " failed: " + e, e));
    }

    private static ErrInfo acquireFailed(ErrInfo cause) {
        return new ErrInfo(ErrCode.ACQUIRE_FAILED, "could not acquire the resource: " + cause.message(),
                cause.stage(), cause.key(), cause.location(), cause.details()).withDetail("cause", cause.code().name());
    }

    private static final int PENDING = 0;
    private static final int DELIVERED = 1;
    private static final int CANCELLED = 2;
}
