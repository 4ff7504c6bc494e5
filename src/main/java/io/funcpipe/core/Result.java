package io.funcpipe.core;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

import io.smallrye.common.annotation.CheckReturnValue;

/**
 * The outcome of one item: a value ({@link Ok}) or a described error ({@link Err}).
 *
 * <p>Every operation is total: a mapper that throws or returns {@code null} yields an {@link Err}
 * (codes {@link ErrCode#EXCEPTION} and {@link ErrCode#NULL_RESULT}); nothing is thrown at the caller.
 * {@link #flatMap} is the seed design's {@code and_then}.
 *
 * @param <T> the type of the value
 */
public sealed interface Result<T> permits Ok, Err {

    /** An {@link Ok} holding {@code value}, which must not be null. */
    static <T> Result<T> ok(T value) {
        return new Ok<>(value);
    }

    /** An {@link Err} holding {@code error}. */
    static <T> Result<T> err(ErrInfo error) {
        return new Err<>(error);
    }

    /**
     * Runs {@code action} and captures its outcome: its value as {@link Ok}, a thrown exception as
     * {@link ErrCode#EXCEPTION}, a {@code null} as {@link ErrCode#NULL_RESULT}.
     */
    static <T> Result<T> attempt(Callable<? extends T> action) {
        requireNonNull(action, "action");
        T value;
        try {
            value = action.call();
        } catch (Exception e) {
            return new Err<>(ErrInfo.fromException(ErrCode.EXCEPTION, e));
        }
        return value == null ? new Err<>(ErrInfo.nullResult()) : new Ok<>(value);
    }

    /** Whether this is an {@link Ok}. */
    default boolean isOk() {
        return this instanceof Ok<T>;
    }

    /** Applies {@code mapper} to an {@link Ok} value; an {@link Err} passes through. */
    @CheckReturnValue
    default <U> Result<U> map(Function<? super T, ? extends U> mapper) {
        requireNonNull(mapper, "mapper");
        return switch (this) {
            case Ok<T>(T value) -> attempt(() -> mapper.apply(value));
            case Err<T> err -> err.cast();
        };
    }

    /** Binds an {@link Ok} value to the next step; an {@link Err} passes through without calling it. */
    @CheckReturnValue
    default <U> Result<U> flatMap(Function<? super T, ? extends Result<U>> mapper) {
        requireNonNull(mapper, "mapper");
        return switch (this) {
            case Ok<T>(T value) -> switch (attempt(() -> mapper.apply(value))) {
                case Ok<? extends Result<U>>(Result<U> next) -> next;
                case Err<? extends Result<U>> err -> err.cast();
            };
            case Err<T> err -> err.cast();
        };
    }

    /** Rewrites the error of an {@link Err} (for example to add the stage); an {@link Ok} passes through. */
    @CheckReturnValue
    default Result<T> mapErr(Function<? super ErrInfo, ErrInfo> mapper) {
        requireNonNull(mapper, "mapper");
        return switch (this) {
            case Ok<T> ok -> ok;
            case Err<T>(ErrInfo error) -> {
                Result<ErrInfo> mapped = attempt(() -> mapper.apply(error));
                yield switch (mapped) {
                    case Ok<ErrInfo>(ErrInfo next) -> new Err<>(next);
                    case Err<ErrInfo> failed -> failed.cast();
                };
            }
        };
    }

    /** Turns an {@link Err} into an {@link Ok} with a fallback value computed from the error. */
    @CheckReturnValue
    default Result<T> recover(Function<? super ErrInfo, ? extends T> fallback) {
        requireNonNull(fallback, "fallback");
        return switch (this) {
            case Ok<T> ok -> ok;
            case Err<T>(ErrInfo error) -> attempt(() -> fallback.apply(error));
        };
    }

    /** Folds both cases into one value. */
    default <R> R fold(Function<? super T, ? extends R> onOk, Function<? super ErrInfo, ? extends R> onErr) {
        requireNonNull(onOk, "onOk");
        requireNonNull(onErr, "onErr");
        return switch (this) {
            case Ok<T>(T value) -> onOk.apply(value);
            case Err<T>(ErrInfo error) -> onErr.apply(error);
        };
    }

    /** Runs a side effect on an {@link Ok} value and returns this result unchanged. */
    default Result<T> onOk(Consumer<? super T> action) {
        requireNonNull(action, "action");
        if (this instanceof Ok<T>(T value)) {
            action.accept(value);
        }
        return this;
    }

    /** Runs a side effect on an {@link Err}'s error and returns this result unchanged. */
    default Result<T> onErr(Consumer<? super ErrInfo> action) {
        requireNonNull(action, "action");
        if (this instanceof Err<T>(ErrInfo error)) {
            action.accept(error);
        }
        return this;
    }
}
