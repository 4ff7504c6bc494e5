package io.funcpipe.core;

import java.util.function.Function;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** The run of {@link AsyncGen#using}: acquire, stream, release exactly once (see {@link Lease}). */
final class Using {

    private Using() {
    }

    /** Called once per subscription (through {@link AsyncGen#open()}), so every run has its own lease. */
    static <R, T> Multi<Result<T>> open(AsyncPlan<R> acquire,
                                        Function<? super R, ? extends Uni<Void>> release,
                                        Function<? super R, AsyncGen<T>> use) {
        Lease<R> lease = new Lease<>(release);
        return lease.acquire(acquire)
                .onItem().transformToMulti(acquired -> switch (acquired) {
                    case Ok<R>(R resource) -> session(lease, resource, use);
                    case Err<R>(ErrInfo error) -> Multi.createFrom().item(Result.<T>err(acquireFailed(error)));
                })
                // A cancellation can arrive after the resource was delivered but before the session
                // subscribed (Mutiny then drops the session unsubscribed); the lease still releases it.
                .onCancellation().invoke(lease::cancel);
    }

    private static <R, T> Multi<Result<T>> session(Lease<R> lease, R resource, Function<? super R, AsyncGen<T>> use) {
        Multi<Result<T>> body = AsyncGen.defer(() -> use.apply(resource).open()).open();
        Multi<Result<T>> releaseOnCompletion = Multi.createFrom().deferred(lease::<T>releaseAtCompletion);
        return Multi.createBy().concatenating().streams(body, releaseOnCompletion)
                .onTermination().invoke((failure, cancelled) ->
                        lease.releaseQuietly(cancelled ? "after cancellation" : "after failure"));
    }

    private static ErrInfo acquireFailed(ErrInfo cause) {
        return new ErrInfo(ErrCode.ACQUIRE_FAILED, "could not acquire the resource: " + cause.message(),
                cause.stage(), cause.key(), cause.location(), cause.details()).withDetail("cause", cause.code().name());
    }
}
