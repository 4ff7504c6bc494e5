package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

@DisplayName("AsyncGen.flatMap")
class FlatMapTest {

    private static final ErrInfo BOOM = ErrInfo.of(ErrCode.NOT_TEXT, "binary");

    @Nested
    @DisplayName("on the Ok path")
    class OkPath {

        @Test
        @DisplayName("concatenates the inner streams in upstream order")
        void concatenatesInOrder() {
            AsyncGen<Integer> gen = AsyncGen.fromIterable(List.of(1, 2, 3))
                    .flatMap(x -> AsyncGen.fromIterable(List.of(x * 10, x * 10 + 1)));
            assertThat(Await.all(gen)).containsExactly(Result.ok(10), Result.ok(11), Result.ok(20), Result.ok(21),
                    Result.ok(30), Result.ok(31));
        }

        @Test
        @DisplayName("an empty inner stream contributes nothing")
        void emptyInner() {
            AsyncGen<Integer> gen = AsyncGen.fromIterable(List.of(1, 2, 3))
                    .flatMap(x -> x == 2 ? AsyncGen.<Integer>empty() : AsyncGen.of(x));
            assertThat(Await.all(gen)).containsExactly(Result.ok(1), Result.ok(3));
        }
    }

    @Nested
    @DisplayName("with errors")
    class Errors {

        @Test
        @DisplayName("errItemsPassThroughWithoutStartingInner")
        void errItemsPassThroughWithoutStartingInner() {
            AtomicInteger started = new AtomicInteger();
            AsyncGen<Integer> gen = AsyncGen.fromResults(List.of(Result.ok(1), Result.<Integer>err(BOOM), Result.ok(2)))
                    .flatMap(x -> AsyncGen.defer(() -> {
                        started.incrementAndGet();
                        return Multi.createFrom().item(Result.ok(x));
                    }));
            assertThat(Await.all(gen)).containsExactly(Result.ok(1), Result.err(BOOM), Result.ok(2));
            assertThat(started).hasValue(2);
        }

        @Test
        @DisplayName("a binder that throws or returns null yields an Err in that place")
        void badBinderYieldsErrInPlace() {
            List<Result<Integer>> out = Await.all(AsyncGen.fromIterable(List.of(1, 2, 3)).flatMap(x -> switch (x) {
                case 1 -> throw new IllegalStateException("one");
                case 2 -> null;
                default -> AsyncGen.of(x);
            }));
            assertThat(out).hasSize(3);
            assertThat(out.get(0)).isInstanceOfSatisfying(Err.class,
                    e -> assertThat(e.error().code()).isEqualTo(ErrCode.EXCEPTION));
            assertThat(out.get(1)).isInstanceOfSatisfying(Err.class,
                    e -> assertThat(e.error().code()).isEqualTo(ErrCode.NULL_RESULT));
            assertThat(out.get(2)).isEqualTo(Result.ok(3));
        }

        @Test
        @DisplayName("Err items inside an inner stream flow on")
        void innerErrFlowsOn() {
            AsyncGen<Integer> gen = AsyncGen.fromIterable(List.of(1, 2))
                    .flatMap(x -> AsyncGen.fromResults(List.of(Result.ok(x), Result.<Integer>err(BOOM))));
            assertThat(Await.all(gen)).containsExactly(Result.ok(1), Result.err(BOOM), Result.ok(2), Result.err(BOOM));
        }
    }

    @Nested
    @DisplayName("demand")
    class Demand {

        @Test
        @DisplayName("asks upstream for one item at a time")
        void oneUpstreamItemAtATime() {
            AtomicInteger produced = new AtomicInteger();
            AsyncGen<Integer> gen = AsyncGen.defer(() -> Multi.createFrom().range(0, 1000)
                            .onItem().invoke(produced::incrementAndGet).onItem().transform(Result::ok))
                    .flatMap(x -> AsyncGen.fromIterable(List.of(x, x, x)));
            AssertSubscriber<Result<Integer>> subscriber = gen.open().subscribe().withSubscriber(AssertSubscriber.create(7));
            assertThat(subscriber.getItems()).hasSize(7);
            assertThat(produced).hasValue(3);
            subscriber.cancel();
        }
    }
}
