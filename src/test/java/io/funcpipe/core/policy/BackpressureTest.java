package io.funcpipe.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.MultiEmitter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

@DisplayName("Backpressure")
class BackpressureTest {

    private static <T> AsyncGen<T> buffered(AsyncGen<T> gen, Backpressure policy) {
        return PolicyInterpreter.of(Policies.DEFAULT.withBackpressure(policy)).buffer(gen);
    }

    @Nested
    @Group
    @DisplayName("wait upstream")
    class Wait {

        @Property(tries = 8)
        void aSlowConsumerBehindAFastProducerNeverLetsTheBufferExceedItsBound(
                @ForAll @IntRange(min = 1, max = 64) int bufferSize) throws Exception {
            int items = 3000;
            AtomicLong produced = new AtomicLong();
            AsyncGen<Integer> fast = AsyncGen.defer(() -> Multi.createFrom().range(0, items)
                    .onItem().invoke(produced::incrementAndGet).onItem().transform(Result::ok));
            ScheduledExecutorService consumerThread = Executors.newSingleThreadScheduledExecutor();
            try (var producerThread = Executors.newVirtualThreadPerTaskExecutor()) {
                SlowConsumer<Integer> consumer = new SlowConsumer<>(consumerThread, produced);
                buffered(fast, Backpressure.of(bufferSize, Overflow.WAIT)).open()
                        .runSubscriptionOn(producerThread)
                        .subscribe().withSubscriber(consumer);

                assertThat(consumer.done.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(consumer.received).hasSize(items);
                assertThat(consumer.maxHeld.get()).isLessThanOrEqualTo(bufferSize);
                assertThat(consumer.received).extracting(r -> ((Ok<Integer>) r).value())
                        .containsExactlyElementsOf(IntStream.range(0, items).boxed().toList());
            } finally {
                consumerThread.shutdownNow();
            }
        }

        @Property(tries = 200)
        void upstreamIsAskedOnlyForTheRoomLeft(@ForAll @IntRange(min = 1, max = 32) int bufferSize,
                                               @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 40) Integer> requests) {
            AtomicLong produced = new AtomicLong();
            AsyncGen<Integer> fast = AsyncGen.defer(() -> Multi.createFrom().range(0, 10_000)
                    .onItem().invoke(produced::incrementAndGet).onItem().transform(Result::ok));
            AssertSubscriber<Result<Integer>> sub = buffered(fast, Backpressure.of(bufferSize, Overflow.WAIT)).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(0));

            for (int n : requests) {
                assertThat(produced.get() - sub.getItems().size()).isLessThanOrEqualTo(bufferSize);
                if (n > 0) {
                    sub.request(n);
                }
            }
            assertThat(produced.get() - sub.getItems().size()).isLessThanOrEqualTo(bufferSize);
            sub.cancel();
        }
    }

    @Nested
    @Group
    @DisplayName("drop oldest")
    class DropOldest {

        @Property(tries = 100)
        void keepsAtMostTheBoundAndCountsEveryDrop(@ForAll @IntRange(min = 1, max = 16) int bufferSize,
                                                   @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 50) Integer> bursts) {
            List<MultiEmitter<? super Result<Integer>>> producer = new ArrayList<>();
            AsyncGen<Integer> hot = AsyncGen.defer(() -> Multi.createFrom().emitter(producer::add));
            AssertSubscriber<Result<Integer>> sub = buffered(hot, Backpressure.of(bufferSize, Overflow.DROP_OLDEST)).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(0));
            int next = 0;
            long requested = 0;
            for (int burst : bursts) {
                int before = okCount(sub.getItems());
                long outstanding = requested - sub.getItems().size();
                for (int i = 0; i < burst; i++) {
                    producer.get(0).emit(Result.ok(next++));
                }
                sub.request(bufferSize + 2);
                requested += bufferSize + 2;
                long delivered = okCount(sub.getItems()) - before;
                assertThat(delivered).as("items passed on to outstanding demand, plus what the buffer kept")
                        .isLessThanOrEqualTo(outstanding + bufferSize);
                assertThat(delivered).isLessThanOrEqualTo((long) burst);
            }
            producer.get(0).complete();
            sub.request(Long.MAX_VALUE).assertCompleted();

            List<Result<Integer>> items = sub.getItems();
            long dropped = items.stream().filter(r -> r instanceof Err<Integer>).map(r -> (Err<Integer>) r)
                    .peek(err -> assertThat(err.error().code()).isEqualTo(ErrCode.OVERFLOW))
                    .mapToLong(err -> Long.parseLong(err.error().details().get("dropped"))).sum();
            assertThat(okCount(items) + dropped).isEqualTo(next);
            assertThat(items.stream().filter(Result::isOk).map(r -> ((Ok<Integer>) r).value()).toList()).isSorted();
        }

        @Test
        void aBurstIntoAnIdleConsumerLeavesTheNewestItemsAfterOneMarker() {
            AsyncGen<Integer> burst = AsyncGen.fromIterable(IntStream.range(0, 100).boxed().toList());
            AssertSubscriber<Result<Integer>> sub = buffered(burst, Backpressure.of(10, Overflow.DROP_OLDEST)).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(0));

            sub.request(Long.MAX_VALUE).assertCompleted();

            List<Result<Integer>> items = sub.getItems();
            assertThat(items).hasSize(11);
            assertThat(items.get(0)).isInstanceOfSatisfying(Err.class, err ->
                    assertThat(err.error().details()).containsEntry("dropped", "90"));
            assertThat(items.subList(1, 11)).containsExactlyElementsOf(
                    IntStream.range(90, 100).mapToObj(Result::ok).toList());
        }
    }

    @Nested
    @Group
    @DisplayName("fail")
    class Fail {

        @Test
        void aFullBufferStopsTheProducerAndEndsWithOneOverflowItem() {
            AtomicLong cancelled = new AtomicLong();
            AsyncGen<Integer> burst = AsyncGen.defer(() -> Multi.createFrom().range(0, 100)
                    .onCancellation().invoke(cancelled::incrementAndGet).onItem().transform(Result::ok));
            AssertSubscriber<Result<Integer>> sub = buffered(burst, Backpressure.of(5, Overflow.FAIL)).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(0));

            sub.request(Long.MAX_VALUE).assertCompleted();

            List<Result<Integer>> items = sub.getItems();
            assertThat(items.subList(0, 5)).containsExactlyElementsOf(IntStream.range(0, 5).mapToObj(Result::ok).toList());
            assertThat(items).hasSize(6);
            assertThat(items.get(5)).isInstanceOfSatisfying(Err.class, err ->
                    assertThat(err.error().code()).isEqualTo(ErrCode.OVERFLOW));
            assertThat(cancelled).hasValue(1);
        }

        @Test
        void aProducerThatKeepsUpPassesUnchanged() {
            List<Result<Integer>> items = buffered(AsyncGen.fromIterable(List.of(1, 2, 3)), Backpressure.of(5, Overflow.FAIL))
                    .collectAll().await().atMost(Duration.ofSeconds(5));
            assertThat(items).containsExactly(Result.ok(1), Result.ok(2), Result.ok(3));
        }
    }

    @Nested
    @DisplayName("validation")
    class Validation {

        @Test
        void badValuesAreRejectedNamingTheField() {
            assertThatThrownBy(() -> Backpressure.of(0, Overflow.WAIT)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("backpressure.bufferSize must be >= 1, got 0");
            assertThatThrownBy(() -> Backpressure.DEFAULT.withOverflow(null)).hasMessageStartingWith("backpressure.overflow");
            assertThat(Backpressure.DEFAULT).isEqualTo(Backpressure.of(256, Overflow.WAIT));
        }
    }

    private static int okCount(List<Result<Integer>> items) {
        return (int) items.stream().filter(Result::isOk).count();
    }
}
