package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/** Sources and the one-to-one combinators of {@link AsyncGen}; flatMap, gather, mapAsync and batch have their own classes. */
@DisplayName("AsyncGen")
class AsyncGenTest {

    private static final ErrInfo BOOM = ErrInfo.of(ErrCode.IO_ERROR, "boom");

    private static ErrCode codeOf(Result<?> result) {
        assertThat(result).isInstanceOf(Err.class);
        return ((Err<?>) result).error().code();
    }

    @Nested
    @DisplayName("sources")
    class Sources {

        @Test
        @DisplayName("of, empty and failed give their items")
        void simpleSources() {
            assertThat(Await.all(AsyncGen.of("a"))).containsExactly(Result.ok("a"));
            assertThat(Await.all(AsyncGen.empty())).isEmpty();
            assertThat(Await.all(AsyncGen.failed(BOOM))).containsExactly(Result.err(BOOM));
        }

        @Test
        @DisplayName("fromIterable wraps every element in Ok and iterates again per run")
        void fromIterableIteratesPerRun() {
            AtomicInteger iterations = new AtomicInteger();
            Iterable<Integer> values = () -> {
                iterations.incrementAndGet();
                return List.of(1, 2).iterator();
            };
            AsyncGen<Integer> gen = AsyncGen.fromIterable(values);
            assertThat(iterations).hasValue(0);
            assertThat(Await.all(gen)).containsExactly(Result.ok(1), Result.ok(2));
            assertThat(Await.all(gen)).containsExactly(Result.ok(1), Result.ok(2));
            assertThat(iterations).hasValue(2);
        }

        @Test
        @DisplayName("fromIterable turns a null element into a NULL_RESULT item and goes on")
        void fromIterableNullElementBecomesErr() {
            List<Result<Integer>> out = Await.all(AsyncGen.fromIterable(Arrays.asList(1, null, 3)));
            assertThat(out).hasSize(3);
            assertThat(out.get(0)).isEqualTo(Result.ok(1));
            assertThat(codeOf(out.get(1))).isEqualTo(ErrCode.NULL_RESULT);
            assertThat(out.get(2)).isEqualTo(Result.ok(3));
        }

        @Test
        @DisplayName("fromResults keeps Ok and Err items in order, and a null one becomes NULL_RESULT")
        void fromResultsKeepsItems() {
            List<Result<Integer>> out = Await.all(AsyncGen.fromResults(Arrays.asList(Result.ok(1), Result.err(BOOM), null)));
            assertThat(out).hasSize(3);
            assertThat(out.subList(0, 2)).containsExactly(Result.ok(1), Result.err(BOOM));
            assertThat(codeOf(out.get(2))).isEqualTo(ErrCode.NULL_RESULT);
        }

        @Test
        @DisplayName("defer turns a throwing or null supplier into one Err item")
        void deferTurnsFaultsIntoErr() {
            assertThat(Await.all(AsyncGen.<Integer>defer(() -> { throw new IllegalStateException("x"); })))
                    .singleElement().satisfies(r -> assertThat(codeOf(r)).isEqualTo(ErrCode.EXCEPTION));
            assertThat(Await.all(AsyncGen.<Integer>defer(() -> null)))
                    .singleElement().satisfies(r -> assertThat(codeOf(r)).isEqualTo(ErrCode.NULL_RESULT));
        }

        @Test
        @DisplayName("lift makes a stream-valued function from an asynchronous step")
        void liftMakesStreamFunction() {
            var lifted = AsyncGen.<Integer, Integer>lift(x -> Uni.createFrom().item(Result.ok(x + 1)));
            assertThat(Await.all(AsyncGen.fromIterable(List.of(1, 2)).flatMap(lifted)))
                    .containsExactly(Result.ok(2), Result.ok(3));
            var failing = AsyncGen.<Integer, Integer>lift(x -> Uni.createFrom().failure(new IllegalStateException()));
            assertThat(Await.all(AsyncGen.of(1).flatMap(failing)))
                    .singleElement().satisfies(r -> assertThat(codeOf(r)).isEqualTo(ErrCode.EXCEPTION));
        }

        @Test
        @DisplayName("the opened Multi fails only for infrastructure faults")
        void infrastructureFaultFailsStream() {
            AsyncGen<Integer> gen = AsyncGen.defer(() -> Multi.createFrom().failure(new IllegalStateException("wire cut")));
            AssertSubscriber<Result<Integer>> subscriber = gen.map(x -> x + 1).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(10));
            subscriber.awaitFailure(Await.LIMIT).assertFailedWith(IllegalStateException.class, "wire cut");
        }
    }

    @Nested
    @DisplayName("map and mapResult")
    class Map {

        @Test
        @DisplayName("map applies to Ok values; Err items keep their place")
        void mapKeepsErrInPlace() {
            AsyncGen<Integer> gen = AsyncGen.fromResults(List.of(Result.ok(1), Result.err(BOOM), Result.ok(3)));
            assertThat(Await.all(gen.map(x -> x * 10)))
                    .containsExactly(Result.ok(10), Result.err(BOOM), Result.ok(30));
        }

        @Test
        @DisplayName("in a chain of maps, a throwing or null-returning step ends the chain for that item only")
        void chainStopsAtFailingStep() {
            List<Integer> calledLast = new ArrayList<>();
            List<Result<Integer>> out = Await.all(AsyncGen.fromIterable(List.of(1, 2, 3))
                    .map(x -> x * 10)
                    .map(x -> switch (x) {
                        case 10 -> throw new IllegalStateException("ten");
                        case 20 -> null;
                        default -> x;
                    })
                    .map(x -> { calledLast.add(x); return x + 1; }));
            assertThat(codeOf(out.get(0))).isEqualTo(ErrCode.EXCEPTION);
            assertThat(((Err<Integer>) out.get(0)).error().message()).isEqualTo("ten");
            assertThat(codeOf(out.get(1))).isEqualTo(ErrCode.NULL_RESULT);
            assertThat(out.get(2)).isEqualTo(Result.ok(31));
            assertThat(calledLast).containsExactly(30);
        }

        @Test
        @DisplayName("a mapped stream can be extended twice; each branch keeps its own steps")
        void branchesAreIndependent() {
            AsyncGen<Integer> base = AsyncGen.fromIterable(List.of(1, 2)).map(x -> x + 1);
            AsyncGen<Integer> doubled = base.map(x -> x * 2);
            AsyncGen<String> shown = base.map(x -> "v" + x);
            assertThat(Await.all(doubled)).containsExactly(Result.ok(4), Result.ok(6));
            assertThat(Await.all(shown)).containsExactly(Result.ok("v2"), Result.ok("v3"));
            assertThat(Await.all(base)).containsExactly(Result.ok(2), Result.ok(3));
        }

        @Test
        @DisplayName("mapResult lets a step fail per item")
        void mapResultFailsPerItem() {
            AsyncGen<Integer> gen = AsyncGen.fromIterable(List.of(1, 2, 3))
                    .mapResult(x -> x == 2 ? Result.err(BOOM) : Result.ok(x));
            assertThat(Await.all(gen)).containsExactly(Result.ok(1), Result.err(BOOM), Result.ok(3));
        }

        @Test
        @DisplayName("null arguments are rejected eagerly")
        void nullArgumentsRejected() {
            AsyncGen<Integer> gen = AsyncGen.of(1);
            assertThatThrownBy(() -> gen.map(null)).hasMessage("mapper");
            assertThatThrownBy(() -> gen.mapResult(null)).hasMessage("mapper");
            assertThatThrownBy(() -> gen.filter(null)).hasMessage("predicate");
            assertThatThrownBy(() -> gen.peek(null)).hasMessage("action");
        }
    }

    @Nested
    @DisplayName("filter")
    class Filter {

        @Test
        @DisplayName("keeps matching Ok values and every Err")
        void keepsMatchingAndErr() {
            AsyncGen<Integer> gen = AsyncGen.fromResults(List.of(Result.ok(1), Result.err(BOOM), Result.ok(2), Result.ok(3)));
            assertThat(Await.all(gen.filter(x -> x % 2 == 1)))
                    .containsExactly(Result.ok(1), Result.err(BOOM), Result.ok(3));
        }

        @Test
        @DisplayName("a throwing predicate turns the item into EXCEPTION")
        void throwingPredicateYieldsErr() {
            List<Result<Integer>> out = Await.all(AsyncGen.fromIterable(List.of(1, 0, 2)).filter(x -> 2 / x > 0));
            assertThat(out).hasSize(3);
            assertThat(codeOf(out.get(1))).isEqualTo(ErrCode.EXCEPTION);
        }

        @Test
        @DisplayName("an Err whose error equals the internal marker is not dropped")
        void errEqualToMarkerSurvives() {
            Result<Integer> lookalike = Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, "filtered out"));
            assertThat(Await.all(AsyncGen.fromResults(List.of(lookalike)).filter(x -> true))).containsExactly(lookalike);
        }
    }

    @Nested
    @DisplayName("take")
    class Take {

        @Test
        @DisplayName("gives the first n items, Ok or Err, and cancels upstream")
        void firstN() {
            AtomicInteger produced = new AtomicInteger();
            AsyncGen<Integer> gen = AsyncGen.defer(() -> Multi.createFrom().range(0, 100)
                    .onItem().invoke(produced::incrementAndGet)
                    .onItem().transform(x -> x == 1 ? Result.<Integer>err(BOOM) : Result.ok(x)));
            assertThat(Await.all(gen.take(3))).containsExactly(Result.ok(0), Result.err(BOOM), Result.ok(2));
            assertThat(produced).hasValue(3);
        }

        @Test
        @DisplayName("asks upstream for at most n items, even when downstream asks for everything")
        void asksUpstreamForAtMostN() {
            java.util.concurrent.atomic.AtomicLong requested = new java.util.concurrent.atomic.AtomicLong();
            AsyncGen<Integer> gen = AsyncGen.defer(() -> Multi.createFrom().range(0, 100)
                    .onItem().transform(Result::ok)
                    .onRequest().invoke(n -> requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b)));
            assertThat(Await.all(gen.take(3))).hasSize(3);
            assertThat(requested).hasValue(3);
        }

        @Test
        @DisplayName("take(0) gives nothing, and a negative n is rejected")
        void zeroAndNegative() {
            assertThat(Await.all(AsyncGen.of(1).take(0))).isEmpty();
            assertThatThrownBy(() -> AsyncGen.of(1).take(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    @DisplayName("error side and side effects")
    class ErrorSideAndEffects {

        @Test
        @DisplayName("mapErr rewrites Err items only; recover turns them into Ok")
        void mapErrAndRecover() {
            AsyncGen<Integer> gen = AsyncGen.fromResults(List.of(Result.ok(1), Result.err(BOOM)));
            assertThat(Await.all(gen.mapErr(e -> e.withStage("clean"))))
                    .containsExactly(Result.ok(1), Result.err(BOOM.withStage("clean")));
            assertThat(Await.all(gen.recover(e -> -1))).containsExactly(Result.ok(1), Result.ok(-1));
        }

        @Test
        @DisplayName("onOk, onErr and peek see each item once and pass it on unchanged")
        void sideEffectsSeeEachItem() {
            List<String> seen = new ArrayList<>();
            AsyncGen<Integer> gen = AsyncGen.fromResults(List.of(Result.ok(1), Result.err(BOOM)))
                    .onOk(x -> seen.add("ok " + x))
                    .onErr(e -> seen.add("err " + e.message()))
                    .peek(r -> seen.add("item"));
            assertThat(Await.all(gen)).containsExactly(Result.ok(1), Result.err(BOOM));
            assertThat(seen).containsExactly("ok 1", "item", "err boom", "item");
        }

        @Test
        @DisplayName("a throwing side effect turns the item into EXCEPTION and the stream goes on")
        void throwingSideEffectYieldsErr() {
            List<Result<Integer>> out = Await.all(AsyncGen.fromIterable(List.of(1, 2, 3))
                    .onOk(x -> { if (x == 2) { throw new IllegalStateException("no 2"); } }));
            assertThat(out).hasSize(3);
            assertThat(codeOf(out.get(1))).isEqualTo(ErrCode.EXCEPTION);
            assertThat(out.get(2)).isEqualTo(Result.ok(3));
        }
    }
}
