package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

@DisplayName("AsyncGen.gather")
class GatherProperties {

    /** Counts streams opened, ended and cancelled, and the most open at once. */
    private static final class Streams {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger maxOpen = new AtomicInteger();
        final AtomicInteger subscribed = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger cancelled = new AtomicInteger();

        /** Stream {@code id}: {@code items} values {@code id * 1000 + k}, each after a short timer. */
        AsyncGen<Integer> stream(int id, int items) {
            return AsyncGen.defer(() -> Multi.createFrom().range(id * 1000, id * 1000 + items)
                    .onItem().call(x -> Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(1)))
                    .onItem().transform(Result::ok)
                    .onSubscription().invoke(() -> {
                        subscribed.incrementAndGet();
                        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    })
                    .onCompletion().invoke(() -> {
                        completed.incrementAndGet();
                        open.decrementAndGet();
                    })
                    .onCancellation().invoke(() -> {
                        cancelled.incrementAndGet();
                        open.decrementAndGet();
                    }));
        }

        List<AsyncGen<Integer>> streams(int count, int items) {
            List<AsyncGen<Integer>> list = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                list.add(stream(i, items));
            }
            return list;
        }
    }

    @Nested
    @Group
    @DisplayName("concurrency bound")
    class Bound {

        @Property(tries = 15)
        void neverMoreThanMaxConcurrencyStreamsAreOpenAndEveryItemArrivesInStreamOrder(
                @ForAll @IntRange(min = 1, max = 8) int count, @ForAll @IntRange(min = 1, max = 4) int maxConcurrency) {
            Streams streams = new Streams();

            List<Result<Integer>> items = AsyncGen.gather(streams.streams(count, 5), maxConcurrency)
                    .collectAll().await().atMost(Duration.ofSeconds(10));

            assertThat(streams.maxOpen.get()).isLessThanOrEqualTo(maxConcurrency);
            assertThat(items).hasSize(count * 5);
            for (int id = 0; id < count; id++) {
                int stream = id;
                assertThat(items.stream().map(r -> ((Ok<Integer>) r).value()).filter(v -> v / 1000 == stream).toList())
                        .isSorted().hasSize(5);
            }
        }

        @Test
        void errItemsFlowThrough() {
            List<Result<Integer>> items = AsyncGen.gather(List.of(AsyncGen.<Integer>failed(ErrInfo.of(ErrCode.IO_ERROR, "x")),
                    AsyncGen.of(1)), 1).collectAll().await().atMost(Duration.ofSeconds(5));
            assertThat(items).hasSize(2).filteredOn(Result::isOk).containsExactly(Result.ok(1));
        }
    }

    @Nested
    @Group
    @DisplayName("cancellation")
    class Cancellation {

        @Property(tries = 15)
        void cancellingDownstreamCancelsEveryOpenStreamAndStartsNoMore(@ForAll @IntRange(min = 0, max = 12) int taken,
                                                                     @ForAll @IntRange(min = 1, max = 4) int maxConcurrency) {
            Streams streams = new Streams();
            AssertSubscriber<Result<Integer>> sub = AsyncGen.gather(streams.streams(6, 5), maxConcurrency).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(taken));
            if (taken > 0) {
                sub.awaitItems(taken, Duration.ofSeconds(10));
            }
            sub.cancel();
            int subscribedAtCancel = streams.subscribed.get();

            assertThat(streams.open.get()).as("streams still open").isZero();
            assertThat(streams.subscribed.get()).isEqualTo(streams.completed.get() + streams.cancelled.get());
            assertThat(streams.subscribed.get()).isEqualTo(subscribedAtCancel);
        }
    }
}
