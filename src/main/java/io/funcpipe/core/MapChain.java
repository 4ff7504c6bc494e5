package io.funcpipe.core;

import java.util.function.Function;

import io.smallrye.mutiny.Multi;

/**
 * Adjacent {@link AsyncGen#map} steps fused into one: a chain of any length costs one Mutiny stage
 * and one {@link Ok} per item, instead of one of each per step.
 *
 * <p>The result is the same as running the steps one by one: the value goes through the functions
 * in order; a function that throws ends the chain with {@link ErrCode#EXCEPTION}, one that returns
 * null ends it with {@link ErrCode#NULL_RESULT}, and the functions after it are not called; an
 * {@link Err} item passes through without calling any.
 *
 * @param upstream the stream before the first fused step
 * @param fn       the fused steps; returns null as soon as one step returns null
 */
record MapChain<S, T>(AsyncGen<S> upstream, Function<? super S, ? extends T> fn) {

    /** This chain with one more step at its end. */
    <U> MapChain<S, U> then(Function<? super T, ? extends U> next) {
        Function<? super S, ? extends T> first = fn;
        return new MapChain<>(upstream, value -> {
            T mid = first.apply(value);
            return mid == null ? null : next.apply(mid);
        });
    }

    Multi<Result<T>> open() {
        return upstream.open().onItem().transform(this::apply);
    }

    private Result<T> apply(Result<S> item) {
        return switch (item) {
            case Ok<S>(S value) -> {
                T out;
                try {
                    out = fn.apply(value);
                } catch (Exception e) {
                    yield new Err<>(ErrInfo.fromException(ErrCode.EXCEPTION, e));
                }
                yield out == null ? new Err<>(ErrInfo.nullResult()) : new Ok<>(out);
            }
            case Err<S> err -> err.cast();
        };
    }
}
