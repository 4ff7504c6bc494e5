package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import io.smallrye.mutiny.Uni;

/** An {@code Err} is an item: it keeps its place, the stream goes on, and no step runs for it. */
@Label("per-item errors")
class ErrPropagationProperties {

    @Provide
    Arbitrary<List<Result<Integer>>> items() {
        return ResultArbitraries.resultLists(15);
    }

    @Provide
    Arbitrary<Function<Integer, AsyncGen<Integer>>> functions() {
        return ResultArbitraries.streamFunctions();
    }

    @Property(tries = 200)
    @Label("flatMap keeps every Err in order and starts no inner stream for it")
    void flatMapPassesErrWithoutStartingInner(@ForAll("items") List<Result<Integer>> items,
                                              @ForAll("functions") Function<Integer, AsyncGen<Integer>> f) {
        AtomicInteger called = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        AsyncGen<Integer> out = AsyncGen.fromResults(items).flatMap(x -> {
            called.incrementAndGet();
            return AsyncGen.defer(() -> {
                opened.incrementAndGet();
                return f.apply(x).open();
            });
        });

        List<Result<Integer>> expected = new ArrayList<>();
        for (Result<Integer> item : items) {
            switch (item) {
                case Ok<Integer>(Integer x) -> expected.addAll(Await.all(f.apply(x)));
                case Err<Integer> err -> expected.add(err);
            }
        }
        assertThat(Await.all(out)).isEqualTo(expected);
        assertThat(called).hasValue(okCount(items));
        assertThat(opened).hasValue(okCount(items));
    }

    @Property(tries = 200)
    @Label("map turns a throwing mapper into an Err at that place and goes on")
    void mapTurnsThrowsIntoErrInPlace(@ForAll("items") List<Result<Integer>> items,
                                      @ForAll @IntRange(min = 2, max = 5) int failEvery) {
        AtomicInteger called = new AtomicInteger();
        List<Result<Integer>> out = Await.all(AsyncGen.fromResults(items).map(x -> {
            called.incrementAndGet();
            return divide(x, failEvery);
        }));

        assertThat(out).hasSameSizeAs(items);
        for (int i = 0; i < items.size(); i++) {
            Result<Integer> in = items.get(i);
            Result<Integer> got = out.get(i);
            switch (in) {
                case Err<Integer> err -> assertThat(got).isSameAs(err);
                case Ok<Integer>(Integer x) when x % failEvery == 0 -> {
                    assertThat(got).isInstanceOf(Err.class);
                    assertThat(((Err<Integer>) got).error().code()).isEqualTo(ErrCode.EXCEPTION);
                }
                case Ok<Integer>(Integer x) -> assertThat(got).isEqualTo(Result.ok(100_000 / (x % failEvery)));
            }
        }
        assertThat(called).hasValue(okCount(items));
    }

    @Property(tries = 100)
    @Label("mapAsync keeps every Err in order and starts no step for it")
    void mapAsyncPassesErrWithoutStartingStep(@ForAll("items") List<Result<Integer>> items,
                                              @ForAll @IntRange(min = 1, max = 4) int concurrency) {
        AtomicInteger started = new AtomicInteger();
        List<Result<Integer>> out = Await.all(AsyncGen.fromResults(items).mapAsync(concurrency, x -> Uni.createFrom()
                .item(() -> {
                    started.incrementAndGet();
                    return Result.ok(x * 2);
                })
                .onItem().delayIt().by(Duration.ofMillis(1 + Math.floorMod(x, 3)))));

        assertThat(out).isEqualTo(items.stream().map(r -> r.map(x -> x * 2)).toList());
        assertThat(started).hasValue(okCount(items));
    }

    @Property(tries = 200)
    @Label("filter never drops an Err")
    void filterKeepsErr(@ForAll("items") List<Result<Integer>> items) {
        List<Result<Integer>> out = Await.all(AsyncGen.fromResults(items).filter(x -> x > 0));

        assertThat(out).isEqualTo(items.stream().filter(r -> !(r instanceof Ok<Integer>(Integer x)) || x > 0).toList());
    }

    private static int divide(int x, int failEvery) {
        return 100_000 / (x % failEvery);
    }

    private static int okCount(List<Result<Integer>> items) {
        return (int) items.stream().filter(Result::isOk).count();
    }
}
