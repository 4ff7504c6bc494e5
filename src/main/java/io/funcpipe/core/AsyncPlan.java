package io.funcpipe.core;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import io.smallrye.common.annotation.CheckReturnValue;
import io.smallrye.mutiny.Uni;

/**
 * A description of one asynchronous value. Building it runs nothing; {@link #open()} gives a
 * {@code Uni<Result<T>>} that runs the work when subscribed, once per subscription.
 *
 * <p>The opened {@code Uni} never fails for user errors: a supplier or mapper that throws, returns
 * null, or returns a failed {@code Uni} yields an {@link Err}.
 *
 * @param <T> the type of the value
 */
public final class AsyncPlan<T> {

    private final Supplier<Uni<Result<T>>> opener;

    private AsyncPlan(Supplier<Uni<Result<T>>> opener) {
        this.opener = opener;
    }

    /** A plan whose result is {@code Ok(value)}. */
    @CheckReturnValue
    public static <T> AsyncPlan<T> of(T value) {
        Result<T> ok = Result.ok(value);
        return new AsyncPlan<>(() -> Uni.createFrom().item(ok));
    }

    /** A plan whose result is {@code Err(error)}. */
    @CheckReturnValue
    public static <T> AsyncPlan<T> failed(ErrInfo error) {
        Result<T> err = Result.err(requireNonNull(error, "error"));
        return new AsyncPlan<>(() -> Uni.createFrom().item(err));
    }

    /** A plan that calls {@code supplier} for a {@code Uni<Result<T>>} each time it is opened. */
    @CheckReturnValue
    public static <T> AsyncPlan<T> defer(Supplier<? extends Uni<Result<T>>> supplier) {
        requireNonNull(supplier, "supplier");
        return new AsyncPlan<>(() -> safely(supplier));
    }

    /** A plan over a plain {@code Uni}: its item becomes {@code Ok}, its failure an {@code Err}. */
    @CheckReturnValue
    public static <T> AsyncPlan<T> fromUni(Supplier<? extends Uni<? extends T>> supplier) {
        requireNonNull(supplier, "supplier");
        return defer(() -> supplier.get().onItem().transform(AsyncPlan::okOrNullErr));
    }

    /** A plan over a {@code CompletionStage} (for example a Vert.x {@code Future}'s). */
    @CheckReturnValue
    public static <T> AsyncPlan<T> fromCompletionStage(Supplier<? extends CompletionStage<? extends T>> supplier) {
        requireNonNull(supplier, "supplier");
        return fromUni(() -> Uni.createFrom().completionStage(supplier.get()));
    }

    /** Runs {@code mapper} on an {@code Ok} value; an {@code Err} passes through. */
    @CheckReturnValue
    public <U> AsyncPlan<U> map(Function<? super T, ? extends U> mapper) {
        requireNonNull(mapper, "mapper");
        return new AsyncPlan<>(() -> open().onItem().transform(r -> r.map(mapper)));
    }

    /** Binds an {@code Ok} value to the next plan; an {@code Err} passes through without opening it. */
    @CheckReturnValue
    public <U> AsyncPlan<U> flatMap(Function<? super T, AsyncPlan<U>> mapper) {
        requireNonNull(mapper, "mapper");
        return new AsyncPlan<>(() -> open().onItem().transformToUni(r -> switch (r) {
            case Ok<T>(T value) -> switch (Result.attempt(() -> mapper.apply(value))) {
                case Ok<AsyncPlan<U>>(AsyncPlan<U> next) -> next.open();
                case Err<AsyncPlan<U>> err -> Uni.createFrom().item(err.<U>cast());
            };
            case Err<T> err -> Uni.createFrom().item(err.<U>cast());
        }));
    }

    /** Rewrites the error of an {@code Err}. */
    @CheckReturnValue
    public AsyncPlan<T> mapErr(Function<? super ErrInfo, ErrInfo> mapper) {
        requireNonNull(mapper, "mapper");
        return new AsyncPlan<>(() -> open().onItem().transform(r -> r.mapErr(mapper)));
    }

    /** Turns an {@code Err} into an {@code Ok} computed from the error. */
    @CheckReturnValue
    public AsyncPlan<T> recover(Function<? super ErrInfo, ? extends T> fallback) {
        requireNonNull(fallback, "fallback");
        return new AsyncPlan<>(() -> open().onItem().transform(r -> r.recover(fallback)));
    }

    /** This plan as a stream of one item. */
    @CheckReturnValue
    public AsyncGen<T> toGen() {
        return AsyncGen.defer(() -> open().toMulti());
    }

    /** Opens a fresh run of this plan: nothing happens until the returned {@code Uni} is subscribed. */
    @CheckReturnValue
    public Uni<Result<T>> open() {
        return Uni.createFrom().<Result<T>>deferred(opener::get);
    }

    private static <T> Uni<Result<T>> safely(Supplier<? extends Uni<Result<T>>> supplier) {
        Uni<Result<T>> uni;
        try {
            uni = supplier.get();
        } catch (RuntimeException e) {
            return Uni.createFrom().item(Result.err(ErrInfo.fromException(ErrCode.EXCEPTION, e)));
        }
        if (uni == null) {
            return Uni.createFrom().item(Result.err(ErrInfo.nullResult()));
        }
        return uni.onItem().ifNull().continueWith(() -> Result.err(ErrInfo.nullResult()))
                .onFailure().recoverWithItem(e -> Result.err(ErrInfo.fromException(ErrCode.EXCEPTION, e)));
    }

    private static <T> Result<T> okOrNullErr(T value) {
        return value == null ? Result.err(ErrInfo.nullResult()) : Result.ok(value);
    }
}
