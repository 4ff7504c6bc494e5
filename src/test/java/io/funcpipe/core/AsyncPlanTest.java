package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

@DisplayName("AsyncPlan")
class AsyncPlanTest {

    private static final ErrInfo BOOM = ErrInfo.of(ErrCode.UNAVAILABLE, "down");

    private static ErrCode codeOf(Result<?> result) {
        assertThat(result).isInstanceOf(Err.class);
        return ((Err<?>) result).error().code();
    }

    @Nested
    @DisplayName("constructors")
    class Constructors {

        @Test
        @DisplayName("of and failed give their result")
        void ofAndFailed() {
            assertThat(Await.one(AsyncPlan.of("a"))).isEqualTo(Result.ok("a"));
            assertThat(Await.one(AsyncPlan.failed(BOOM))).isEqualTo(Result.err(BOOM));
        }

        @Test
        @DisplayName("defer calls the supplier once per subscription, not before")
        void deferCallsSupplierPerSubscription() {
            AtomicInteger calls = new AtomicInteger();
            AsyncPlan<Integer> plan = AsyncPlan.defer(() -> Uni.createFrom().item(Result.ok(calls.incrementAndGet())));
            Uni<Result<Integer>> opened = plan.open();
            assertThat(calls).hasValue(0);

            assertThat(opened.await().atMost(Await.LIMIT)).isEqualTo(Result.ok(1));
            assertThat(Await.one(plan)).isEqualTo(Result.ok(2));
        }

        @Test
        @DisplayName("defer turns a throwing supplier, a null Uni, a null item and a failed Uni into Err")
        void deferTurnsFaultsIntoErr() {
            assertThat(codeOf(Await.one(AsyncPlan.<Integer>defer(() -> { throw new IllegalStateException("x"); }))))
                    .isEqualTo(ErrCode.EXCEPTION);
            assertThat(codeOf(Await.one(AsyncPlan.<Integer>defer(() -> null)))).isEqualTo(ErrCode.NULL_RESULT);
            assertThat(codeOf(Await.one(AsyncPlan.<Integer>defer(() -> Uni.createFrom().nullItem()))))
                    .isEqualTo(ErrCode.NULL_RESULT);
            assertThat(codeOf(Await.one(AsyncPlan.<Integer>defer(
                    () -> Uni.createFrom().failure(new IllegalStateException("x")))))).isEqualTo(ErrCode.EXCEPTION);
        }

        @Test
        @DisplayName("fromUni and fromCompletionStage wrap plain values and failures")
        void fromPlainAsyncValues() {
            assertThat(Await.one(AsyncPlan.fromUni(() -> Uni.createFrom().item(3)))).isEqualTo(Result.ok(3));
            assertThat(codeOf(Await.one(AsyncPlan.<Integer>fromUni(() -> Uni.createFrom().nullItem()))))
                    .isEqualTo(ErrCode.NULL_RESULT);
            assertThat(Await.one(AsyncPlan.fromCompletionStage(() -> CompletableFuture.completedFuture("f"))))
                    .isEqualTo(Result.ok("f"));
            assertThat(codeOf(Await.one(AsyncPlan.<String>fromCompletionStage(
                    () -> CompletableFuture.failedFuture(new IllegalStateException("no")))))).isEqualTo(ErrCode.EXCEPTION);
        }

        @Test
        @DisplayName("null arguments are rejected eagerly")
        void nullArgumentsRejected() {
            assertThatThrownBy(() -> AsyncPlan.defer(null)).hasMessage("supplier");
            assertThatThrownBy(() -> AsyncPlan.failed(null)).hasMessage("error");
            assertThatThrownBy(() -> AsyncPlan.of(1).map(null)).hasMessage("mapper");
            assertThatThrownBy(() -> AsyncPlan.of(1).flatMap(null)).hasMessage("mapper");
        }
    }

    @Nested
    @DisplayName("combinators")
    class Combinators {

        @Test
        @DisplayName("map maps an Ok and turns a throwing mapper into Err")
        void mapMapsOk() {
            assertThat(Await.one(AsyncPlan.of(2).map(x -> x * 5))).isEqualTo(Result.ok(10));
            assertThat(codeOf(Await.one(AsyncPlan.of(0).map(x -> 1 / x)))).isEqualTo(ErrCode.EXCEPTION);
        }

        @Test
        @DisplayName("flatMap binds an Ok and never opens the next plan for an Err")
        void flatMapSkipsNextForErr() {
            AtomicInteger opened = new AtomicInteger();
            AsyncPlan<Integer> next = AsyncPlan.defer(() -> Uni.createFrom().item(Result.ok(opened.incrementAndGet())));
            assertThat(Await.one(AsyncPlan.of(1).flatMap(x -> next))).isEqualTo(Result.ok(1));
            assertThat(Await.one(AsyncPlan.<Integer>failed(BOOM).flatMap(x -> next))).isEqualTo(Result.err(BOOM));
            assertThat(opened).hasValue(1);
        }

        @Test
        @DisplayName("flatMap turns a throwing or null-returning binder into Err")
        void flatMapBadBinder() {
            assertThat(codeOf(Await.one(AsyncPlan.of(1).<Integer>flatMap(x -> { throw new IllegalStateException(); }))))
                    .isEqualTo(ErrCode.EXCEPTION);
            assertThat(codeOf(Await.one(AsyncPlan.of(1).<Integer>flatMap(x -> null)))).isEqualTo(ErrCode.NULL_RESULT);
        }

        @Test
        @DisplayName("mapErr and recover act on the error side only")
        void errorSide() {
            assertThat(Await.one(AsyncPlan.<Integer>failed(BOOM).mapErr(e -> e.withStage("embed"))))
                    .isEqualTo(Result.err(BOOM.withStage("embed")));
            assertThat(Await.one(AsyncPlan.<Integer>failed(BOOM).recover(e -> -1))).isEqualTo(Result.ok(-1));
            assertThat(Await.one(AsyncPlan.of(5).recover(e -> -1))).isEqualTo(Result.ok(5));
        }

        @Test
        @DisplayName("toGen gives a stream of the one result, run anew per subscription")
        void toGenGivesOneItem() {
            AtomicInteger calls = new AtomicInteger();
            AsyncGen<Integer> gen = AsyncPlan.<Integer>defer(() -> Uni.createFrom().item(Result.ok(calls.incrementAndGet())))
                    .toGen();
            assertThat(Await.all(gen)).containsExactly(Result.ok(1));
            assertThat(Await.all(gen)).containsExactly(Result.ok(2));
        }
    }
}
