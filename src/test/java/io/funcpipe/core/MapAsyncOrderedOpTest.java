package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

@DisplayName("AsyncGen.mapAsync (MapAsyncOrderedOp)")
class MapAsyncOrderedOpTest {

    private static final ErrInfo BOOM = ErrInfo.of(ErrCode.EMBED_FAILED, "model");

    private static Uni<Result<Integer>> later(int value, long millis) {
        return Uni.createFrom().item(Result.ok(value)).onItem().delayIt().by(Duration.ofMillis(millis));
    }

    @Nested
    @DisplayName("ordering")
    class Ordering {

        @Test
        @DisplayName("emits in input order although steps finish out of order")
        void inputOrder() {
            AsyncGen<Integer> gen = AsyncGen.fromIterable(List.of(30, 1, 20, 2, 10))
                    .mapAsync(5, x -> later(x, x));
            assertThat(Await.all(gen)).containsExactly(Result.ok(30), Result.ok(1), Result.ok(20), Result.ok(2), Result.ok(10));
        }

        @Test
        @DisplayName("an Err keeps its place and starts no step")
        void errKeepsPlace() {
            AtomicInteger started = new AtomicInteger();
            AsyncGen<Integer> gen = AsyncGen.fromResults(List.of(Result.ok(5), Result.<Integer>err(BOOM), Result.ok(1)))
                    .mapAsync(3, x -> later(x, x).onSubscription().invoke(started::incrementAndGet));
            assertThat(Await.all(gen)).containsExactly(Result.ok(5), Result.err(BOOM), Result.ok(1));
            assertThat(started).hasValue(2);
        }

        @Test
        @DisplayName("a throwing step, a null Uni and a failed Uni each become an Err in place")
        void faultsBecomeErr() {
            List<Result<Integer>> out = Await.all(AsyncGen.fromIterable(List.of(1, 2, 3, 4)).mapAsync(2, x -> switch (x) {
                case 1 -> throw new IllegalStateException("one");
                case 2 -> null;
                case 3 -> Uni.createFrom().failure(new IllegalStateException("three"));
                default -> later(x, 1);
            }));
            assertThat(out).extracting(r -> r instanceof Err<Integer>(ErrInfo e) ? e.code().name() : "ok")
                    .containsExactly("EXCEPTION", "NULL_RESULT", "EXCEPTION", "ok");
        }
    }

    @Nested
    @DisplayName("demand and concurrency")
    class Demand {

        @Test
        @DisplayName("keeps at most `concurrency` steps in flight")
        void boundedInFlight() {
            InFlight inFlight = new InFlight();
            AsyncGen<Integer> gen = AsyncGen.fromIterable(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
                    .mapAsync(3, x -> later(x, 2).onSubscription().invoke(inFlight::enter).onTermination().invoke(inFlight::exit));
            assertThat(Await.all(gen)).hasSize(10);
            assertThat(inFlight.max()).isBetween(1, 3);
        }

        @Test
        @DisplayName("holds finished results until downstream asks, asking upstream for no more than `concurrency` ahead")
        void respectsDownstreamDemand() {
            AtomicInteger produced = new AtomicInteger();
            AsyncGen<Integer> gen = AsyncGen.defer(() -> Multi.createFrom().range(0, 100)
                            .onItem().invoke(produced::incrementAndGet).onItem().transform(Result::ok))
                    .mapAsync(4, x -> Uni.createFrom().item(Result.ok(x)));
            AssertSubscriber<Result<Integer>> subscriber = gen.open().subscribe().withSubscriber(AssertSubscriber.create(0));
            assertThat(subscriber.getItems()).isEmpty();
            assertThat(produced).hasValue(4);

            subscriber.request(2);
            assertThat(subscriber.getItems()).containsExactly(Result.ok(0), Result.ok(1));
            assertThat(produced).hasValue(6);
            subscriber.cancel();
        }

        @Test
        @DisplayName("cancelling cancels the steps in flight and stops upstream")
        void cancelCancelsSteps() {
            AtomicInteger cancelledSteps = new AtomicInteger();
            AsyncGen<Integer> gen = AsyncGen.fromIterable(List.of(1, 2, 3, 4))
                    .mapAsync(3, x -> Uni.createFrom().<Result<Integer>>emitter(neverCompletes -> { })
                            .onCancellation().invoke(cancelledSteps::incrementAndGet));
            AssertSubscriber<Result<Integer>> subscriber = gen.open().subscribe().withSubscriber(AssertSubscriber.create(10));
            subscriber.cancel();
            Await.until(() -> cancelledSteps.get() == 3, "the three steps in flight are cancelled");
            assertThat(subscriber.getItems()).isEmpty();
        }

        @Test
        @DisplayName("an upstream failure fails the stream")
        void upstreamFailureFails() {
            AsyncGen<Integer> gen = AsyncGen.defer(() -> Multi.createFrom().<Result<Integer>>failure(new IllegalStateException("up")))
                    .mapAsync(2, x -> later(x, 1));
            gen.open().subscribe().withSubscriber(AssertSubscriber.create(1))
                    .awaitFailure(Await.LIMIT).assertFailedWith(IllegalStateException.class, "up");
        }

        @Test
        @DisplayName("a non-positive request fails the stream")
        void badRequestFails() {
            AssertSubscriber<Result<Integer>> subscriber = AsyncGen.of(1).mapAsync(1, x -> later(x, 1)).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(0));
            subscriber.request(0);
            subscriber.awaitFailure(Await.LIMIT).assertFailedWith(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("a non-positive concurrency is rejected eagerly")
        void badConcurrencyRejected() {
            assertThatThrownBy(() -> AsyncGen.of(1).mapAsync(0, x -> later(x, 1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> AsyncGen.of(1).mapAsync(1, null)).hasMessage("step");
        }
    }
}
