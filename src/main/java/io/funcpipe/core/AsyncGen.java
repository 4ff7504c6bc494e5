package io.funcpipe.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.smallrye.common.annotation.CheckReturnValue;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A description of a lazy asynchronous stream of {@link Result} items. Building one performs no
 * effect; {@link #open()} gives a fresh {@code Multi<Result<T>>} each time, and work happens only
 * on demand once that {@code Multi} is subscribed. Opening the same description twice gives two
 * independent runs.
 *
 * <p>An {@link Err} is an item like any other: it flows on, keeps its place, and never stops the
 * stream; steps that take an {@code Ok} value ({@link #map}, {@link #flatMap}, {@link #mapAsync})
 * pass an {@code Err} through without calling the user function. A user function that throws or
 * returns null yields an {@code Err} item ({@link ErrCode#EXCEPTION}, {@link ErrCode#NULL_RESULT}).
 * The opened {@code Multi} fails only for infrastructure faults, never for user errors.
 *
 * <p>Prefetch: {@link #map}, {@link #filter} and {@link #take} request from upstream exactly what
 * downstream requests; {@link #flatMap} requests one upstream item at a time; {@link #mapAsync}
 * keeps at most {@code concurrency} items in flight; {@link #batch} requests one batch at a time.
 *
 * @param <T> the type of the {@code Ok} values
 */
public final class AsyncGen<T> {

    private final Supplier<Multi<Result<T>>> opener;
    /** Non-null when this stream ends in {@link #map} steps, so that one more {@code map} fuses with them. */
    private final MapChain<?, T> mapChain;

    private AsyncGen(Supplier<Multi<Result<T>>> opener) {
        this(opener, null);
    }

    private AsyncGen(Supplier<Multi<Result<T>>> opener, MapChain<?, T> mapChain) {
        this.opener = opener;
        this.mapChain = mapChain;
    }

    // ---------------------------------------------------------------- constructors

    /** A stream of one {@code Ok(value)} (the seed's {@code async_gen_return}). */
    @CheckReturnValue
    public static <T> AsyncGen<T> of(T value) {
        Result<T> ok = Result.ok(value);
        return new AsyncGen<>(() -> Multi.createFrom().item(ok));
    }

    /** A stream of {@code Ok} items, one per element; {@code values.iterator()} is called per run. */
    @CheckReturnValue
    public static <T> AsyncGen<T> fromIterable(Iterable<? extends T> values) {
        requireNonNull(values, "values");
        return new AsyncGen<>(() -> Multi.createFrom().iterable(mapped(values, AsyncGen::okOrNullErr)));
    }

    /** A stream of the given results, in order; {@code results.iterator()} is called per run. */
    @CheckReturnValue
    public static <T> AsyncGen<T> fromResults(Iterable<? extends Result<T>> results) {
        requireNonNull(results, "results");
        return new AsyncGen<>(() -> Multi.createFrom().iterable(
                mapped(results, r -> r == null ? Result.<T>err(ErrInfo.nullResult()) : r)));
    }

    /** A stream with no items. */
    @CheckReturnValue
    public static <T> AsyncGen<T> empty() {
        return new AsyncGen<>(() -> Multi.createFrom().empty());
    }

    /** A stream of one {@code Err(error)}. */
    @CheckReturnValue
    public static <T> AsyncGen<T> failed(ErrInfo error) {
        Result<T> err = Result.err(requireNonNull(error, "error"));
        return new AsyncGen<>(() -> Multi.createFrom().item(err));
    }

    /**
     * A stream over a {@code Multi} that {@code supplier} builds anew for each run: the bridge from
     * Mutiny (and adapters) into FuncPipe. A supplier that throws or returns null yields one
     * {@code Err} item.
     */
    @CheckReturnValue
    public static <T> AsyncGen<T> defer(Supplier<? extends Multi<Result<T>>> supplier) {
        requireNonNull(supplier, "supplier");
        return new AsyncGen<>(() -> {
            Result<? extends Multi<Result<T>>> opened = Result.attempt(supplier::get);
            return switch (opened) {
                case Ok<? extends Multi<Result<T>>>(Multi<Result<T>> multi) -> multi;
                case Err<? extends Multi<Result<T>>> err -> Multi.createFrom().item(err.<T>cast());
            };
        });
    }

    /**
     * Lifts a function returning one asynchronous result into a function returning a stream of it
     * (the seed's {@code lift_async_item}), ready for {@link #flatMap}.
     */
    @CheckReturnValue
    public static <T, U> Function<T, AsyncGen<U>> lift(Function<? super T, ? extends Uni<Result<U>>> fn) {
        requireNonNull(fn, "fn");
        return value -> AsyncPlan.<U>defer(() -> fn.apply(value)).toGen();
    }

    /**
     * A stream that acquires a resource, streams what {@code use} makes of it, and releases it
     * exactly once: on completion, on cancellation and on failure (the seed's
     * {@code async_gen_using}). A failed acquire yields one {@link ErrCode#ACQUIRE_FAILED} item and
     * releases nothing; a release that fails after completion yields a last
     * {@link ErrCode#RELEASE_FAILED} item (after cancellation nobody is listening: it is logged).
     */
    @CheckReturnValue
    public static <R, T> AsyncGen<T> using(AsyncPlan<R> acquire,
                                           Function<? super R, ? extends Uni<Void>> release,
                                           Function<? super R, AsyncGen<T>> use) {
        requireNonNull(acquire, "acquire");
        requireNonNull(release, "release");
        requireNonNull(use, "use");
        return new AsyncGen<>(() -> Using.open(acquire, release, use));
    }

    /**
     * {@link #using(AsyncPlan, Function, Function)} for a synchronous {@link AutoCloseable}
     * resource: {@code acquire} runs on the subscribing thread, {@code close()} is the release.
     */
    @CheckReturnValue
    public static <R extends AutoCloseable, T> AsyncGen<T> using(Callable<? extends R> acquire,
                                                                 Function<? super R, AsyncGen<T>> use) {
        requireNonNull(acquire, "acquire");
        AsyncPlan<R> plan = AsyncPlan.defer(() -> Uni.createFrom().item(Result.<R>attempt(acquire)));
        return using(plan, resource -> Uni.createFrom().voidItem().invoke(() -> closeUnchecked(resource)), use);
    }

    /**
     * Merges several streams with at most {@code maxConcurrency} of them open at once (the seed's
     * {@code async_gen_gather}). Items keep their order within a stream, not across streams.
     * Cancelling the merged stream cancels every open one.
     */
    @CheckReturnValue
    public static <T> AsyncGen<T> gather(List<AsyncGen<T>> streams, int maxConcurrency) {
        requireNonNull(streams, "streams");
        requirePositive(maxConcurrency, "maxConcurrency");
        List<AsyncGen<T>> copy = List.copyOf(streams);
        return new AsyncGen<>(() -> Multi.createFrom().iterable(copy)
                .onItem().transformToMulti(AsyncGen::open).merge(maxConcurrency));
    }

    /** The given streams one after the other. */
    @SafeVarargs
    @CheckReturnValue
    public static <T> AsyncGen<T> concat(AsyncGen<T>... streams) {
        List<AsyncGen<T>> copy = List.of(streams);
        return new AsyncGen<>(() -> Multi.createFrom().iterable(copy)
                .onItem().transformToMultiAndConcatenate(AsyncGen::open));
    }

    // ---------------------------------------------------------------- combinators

    /**
     * Applies {@code mapper} to every {@code Ok} value (the seed's {@code async_gen_map}). Adjacent
     * {@code map} steps run fused as one stage (see {@link MapChain}), with the same results.
     */
    @CheckReturnValue
    public <U> AsyncGen<U> map(Function<? super T, ? extends U> mapper) {
        requireNonNull(mapper, "mapper");
        MapChain<?, U> chain = mapChain == null ? new MapChain<>(this, mapper) : mapChain.then(mapper);
        return new AsyncGen<>(chain::open, chain);
    }

    /** Applies a step that may fail to every {@code Ok} value: its {@code Err} becomes the item. */
    @CheckReturnValue
    public <U> AsyncGen<U> mapResult(Function<? super T, ? extends Result<U>> mapper) {
        requireNonNull(mapper, "mapper");
        return new AsyncGen<>(() -> open().onItem().transform(r -> r.flatMap(mapper)));
    }

    /**
     * Binds every {@code Ok} value to an inner stream and concatenates the inner streams in order
     * (the seed's {@code async_gen_and_then}). An {@code Err} item passes through without starting
     * an inner stream.
     */
    @CheckReturnValue
    public <U> AsyncGen<U> flatMap(Function<? super T, AsyncGen<U>> mapper) {
        requireNonNull(mapper, "mapper");
        return new AsyncGen<>(() -> open().onItem().transformToMultiAndConcatenate(r -> switch (r) {
            case Ok<T>(T value) -> switch (Result.attempt(() -> mapper.apply(value))) {
                case Ok<AsyncGen<U>>(AsyncGen<U> inner) -> inner.open();
                case Err<AsyncGen<U>> err -> Multi.createFrom().item(err.<U>cast());
            };
            case Err<T> err -> Multi.createFrom().item(err.<U>cast());
        }));
    }

    /**
     * Runs an asynchronous step on every {@code Ok} value with at most {@code concurrency} steps in
     * flight, emitting results in input order. {@code Err} items keep their place and start nothing.
     */
    @CheckReturnValue
    public <U> AsyncGen<U> mapAsync(int concurrency, Function<? super T, ? extends Uni<Result<U>>> step) {
        requirePositive(concurrency, "concurrency");
        requireNonNull(step, "step");
        return new AsyncGen<>(() -> new MapAsyncOrderedOp<>(open(), step, concurrency));
    }

    /**
     * Groups items into batches of at most {@code size}, emitting a partial batch when its first
     * item has waited {@code maxWait}. Each batch keeps every item's own {@code Result} in order.
     */
    @CheckReturnValue
    public AsyncGen<List<Result<T>>> batch(int size, Duration maxWait) {
        requirePositive(size, "size");
        requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be positive, got " + maxWait);
        }
        return new AsyncGen<>(() -> new BatchOp<>(open(), size, maxWait).onItem().transform(Result::ok));
    }

    /** The first {@code n} items ({@code Ok} or {@code Err}); upstream is cancelled after them. */
    @CheckReturnValue
    public AsyncGen<T> take(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        // Mutiny's first(n) asks upstream for everything once downstream asks for n or more; the cap
        // keeps upstream demand at n, as the class javadoc promises (a source that sizes its fetch
        // by demand would otherwise fetch without bound).
        return new AsyncGen<>(() -> n == 0 ? open().select().first(0) : open().capDemandsTo(n).select().first(n));
    }

    /** Every item after the first {@code n} ({@code Ok} or {@code Err}), which are requested and dropped. */
    @CheckReturnValue
    public AsyncGen<T> skip(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (n == 0) {
            return this;
        }
        return new AsyncGen<>(() -> {
            java.util.concurrent.atomic.AtomicLong left = new java.util.concurrent.atomic.AtomicLong(n);
            return open().select().where(item -> left.getAndUpdate(k -> k > 0 ? k - 1 : 0) == 0);
        });
    }

    /**
     * Keeps the {@code Ok} values that match {@code predicate}; {@code Err} items always pass. A
     * predicate that throws turns the item into an {@code Err}.
     */
    @CheckReturnValue
    public AsyncGen<T> filter(Predicate<? super T> predicate) {
        requireNonNull(predicate, "predicate");
        return new AsyncGen<>(() -> open()
                .onItem().transform(r -> r.flatMap(v -> predicate.test(v) ? r : AsyncGen.<T>skipped()))
                .select().where(r -> r != SKIPPED));
    }

    /** Rewrites the error of every {@code Err} item (for example to add the stage). */
    @CheckReturnValue
    public AsyncGen<T> mapErr(Function<? super ErrInfo, ErrInfo> mapper) {
        requireNonNull(mapper, "mapper");
        return new AsyncGen<>(() -> open().onItem().transform(r -> r.mapErr(mapper)));
    }

    /** Turns every {@code Err} item into an {@code Ok} computed from its error. */
    @CheckReturnValue
    public AsyncGen<T> recover(Function<? super ErrInfo, ? extends T> fallback) {
        requireNonNull(fallback, "fallback");
        return new AsyncGen<>(() -> open().onItem().transform(r -> r.recover(fallback)));
    }

    /** Runs a side effect on every {@code Ok} value as it passes. */
    @CheckReturnValue
    public AsyncGen<T> onOk(Consumer<? super T> action) {
        requireNonNull(action, "action");
        return peek(r -> r.onOk(action));
    }

    /** Runs a side effect on every {@code Err} item's error as it passes. */
    @CheckReturnValue
    public AsyncGen<T> onErr(Consumer<? super ErrInfo> action) {
        requireNonNull(action, "action");
        return peek(r -> r.onErr(action));
    }

    /** Runs a side effect on every item as it passes; a throwing action turns the item into an {@code Err}. */
    @CheckReturnValue
    public AsyncGen<T> peek(Consumer<? super Result<T>> action) {
        requireNonNull(action, "action");
        return new AsyncGen<>(() -> open().onItem().transform(r -> {
            try {
                action.accept(r);
                return r;
            } catch (RuntimeException e) {
                return Result.err(ErrInfo.fromException(ErrCode.EXCEPTION, e));
            }
        }));
    }

    /** A plan that runs this stream to its end and collects every item in order. */
    @CheckReturnValue
    public Uni<List<Result<T>>> collectAll() {
        return open().collect().asList();
    }

    /** Opens a fresh run of this stream: nothing happens until the returned {@code Multi} is subscribed. */
    @CheckReturnValue
    public Multi<Result<T>> open() {
        return Multi.createFrom().<Result<T>>deferred(opener::get);
    }

    // ---------------------------------------------------------------- helpers

    /** Marks an item that {@link #filter} drops; never leaves this class. */
    private static final Result<Object> SKIPPED = Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, "filtered out"));

    @SuppressWarnings("unchecked")
    private static <T> Result<T> skipped() {
        return (Result<T>) SKIPPED;
    }

    private static <T> Result<T> okOrNullErr(T value) {
        return value == null ? Result.err(ErrInfo.nullResult()) : Result.ok(value);
    }

    /**
     * {@code values} seen through {@code f}, element by element as Mutiny iterates. Mapping before
     * Mutiny sees an element keeps a null element from failing the stream (Mutiny rejects nulls).
     */
    private static <E, R> Iterable<R> mapped(Iterable<? extends E> values, Function<? super E, R> f) {
        return () -> {
            Iterator<? extends E> it = values.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public R next() {
                    return f.apply(it.next());
                }
            };
        };
    }

    static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void closeUnchecked(AutoCloseable resource) {
        try {
            resource.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
