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

@DisplayName("AsyncGen.gather and concat")
class GatherTest {

    private static AsyncGen<Integer> tracked(InFlight open, int from, int count) {
        return AsyncGen.defer(() -> Multi.createFrom().range(from, from + count)
                .onItem().call(x -> Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(1)))
                .onItem().transform(Result::ok)
                .onSubscription().invoke(open::enter)
                .onTermination().invoke(open::exit));
    }

    @Nested
    @DisplayName("gather")
    class Gather {

        @Test
        @DisplayName("merges every item and keeps each stream's own order")
        void mergesAllKeepingStreamOrder() {
            InFlight open = new InFlight();
            List<Result<Integer>> out = Await.all(AsyncGen.gather(
                    List.of(tracked(open, 0, 5), tracked(open, 100, 5), tracked(open, 200, 5)), 3));
            assertThat(out).hasSize(15);
            for (int base : List.of(0, 100, 200)) {
                assertThat(out.stream().map(r -> ((Ok<Integer>) r).value()).filter(v -> v / 100 == base / 100).toList())
                        .containsExactly(base, base + 1, base + 2, base + 3, base + 4);
            }
        }

        @Test
        @DisplayName("never opens more than maxConcurrency streams at once")
        void boundedOpenStreams() {
            InFlight open = new InFlight();
            List<AsyncGen<Integer>> streams = List.of(tracked(open, 0, 3), tracked(open, 10, 3), tracked(open, 20, 3),
                    tracked(open, 30, 3), tracked(open, 40, 3));
            assertThat(Await.all(AsyncGen.gather(streams, 2))).hasSize(15);
            assertThat(open.max()).isBetween(1, 2);
            assertThat(open.started()).isEqualTo(5);
        }

        @Test
        @DisplayName("cancelling the merged stream cancels every open stream")
        void cancelCancelsAll() {
            // Ticks on a scheduler of this test's own: Mutiny's shared one may be busy with other tests' work.
            java.util.concurrent.ScheduledExecutorService ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            try {
                AtomicInteger cancelled = new AtomicInteger();
                AsyncGen<Integer> endless = AsyncGen.defer(() -> Multi.createFrom().ticks().onExecutor(ticker)
                        .every(Duration.ofMillis(1))
                        .onItem().transform(t -> Result.ok(t.intValue()))
                        .onCancellation().invoke(cancelled::incrementAndGet));
                AssertSubscriber<Result<Integer>> subscriber = AsyncGen.gather(List.of(endless, endless, endless), 2).open()
                        .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
                // at least 4 items (awaitItems(4) fails when more have come already)
                Await.until(() -> subscriber.getItems().size() >= 4 || subscriber.getFailure() != null,
                        "items from the open streams");
                assertThat(subscriber.getFailure()).isNull();
                subscriber.cancel();
                Await.until(() -> cancelled.get() == 2, "both open streams are cancelled");
                assertThat(cancelled).hasValue(2);
            } finally {
                ticker.shutdownNow();
            }
        }

        @Test
        @DisplayName("a non-positive bound is rejected")
        void badBoundRejected() {
            assertThatThrownBy(() -> AsyncGen.gather(List.of(AsyncGen.of(1)), 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    @DisplayName("concat")
    class Concat {

        @Test
        @DisplayName("runs the streams one after the other")
        void oneAfterTheOther() {
            InFlight open = new InFlight();
            List<Result<Integer>> out = Await.all(AsyncGen.concat(tracked(open, 0, 2), tracked(open, 10, 2)));
            assertThat(out).containsExactly(Result.ok(0), Result.ok(1), Result.ok(10), Result.ok(11));
            assertThat(open.max()).isEqualTo(1);
        }
    }
}
