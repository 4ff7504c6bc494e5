package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;

@DisplayName("AsyncGen.batch (BatchOp)")
class BatchOpTest {

    private static final ErrInfo BOOM = ErrInfo.of(ErrCode.MALFORMED_RECORD, "row 2");
    private static final Duration LONG_WAIT = Duration.ofMinutes(5);
    private static final Duration SHORT_WAIT = Duration.ofMillis(20);

    /** The values of a stream of batches of Ok items. */
    private static List<List<Integer>> values(List<Result<List<Result<Integer>>>> batches) {
        return batches.stream()
                .map(b -> ((Ok<List<Result<Integer>>>) b).value().stream().map(r -> ((Ok<Integer>) r).value()).toList())
                .toList();
    }

    /** A source the test pushes into by hand, counting what the batch step asked for. */
    private static final class ManualSource {
        final UnicastProcessor<Result<Integer>> processor = UnicastProcessor.create();
        final AtomicLong requested = new AtomicLong();
        final AtomicLong pushed = new AtomicLong();
        final AtomicLong cancelled = new AtomicLong();

        AsyncGen<Integer> gen() {
            return AsyncGen.defer(() -> processor.onRequest().invoke(requested::addAndGet)
                    .onCancellation().invoke(cancelled::incrementAndGet));
        }

        void push(int... values) {
            for (int v : values) {
                pushed.incrementAndGet();
                processor.onNext(Result.ok(v));
            }
        }
    }

    @Nested
    @DisplayName("by size")
    class BySize {

        @Test
        @DisplayName("cuts full batches and flushes the last partial one at completion")
        void fullThenPartial() {
            var batches = Await.all(AsyncGen.fromIterable(List.of(1, 2, 3, 4, 5, 6, 7)).batch(3, LONG_WAIT));
            assertThat(values(batches)).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7));
        }

        @Test
        @DisplayName("keeps every item's own Result, Err included, in order")
        void keepsResults() {
            var batches = Await.all(AsyncGen.fromResults(List.of(Result.ok(1), Result.<Integer>err(BOOM), Result.ok(3)))
                    .batch(2, LONG_WAIT));
            assertThat(batches).containsExactly(Result.ok(List.of(Result.ok(1), Result.err(BOOM))),
                    Result.ok(List.of(Result.ok(3))));
        }

        @Test
        @DisplayName("an empty stream gives no batch")
        void emptyGivesNothing() {
            assertThat(Await.all(AsyncGen.<Integer>empty().batch(3, LONG_WAIT))).isEmpty();
        }

        @Test
        @DisplayName("asks upstream for one batch at a time, only while downstream has demand")
        void oneBatchAtATime() {
            AtomicLong produced = new AtomicLong();
            AsyncGen<Integer> gen = AsyncGen.defer(() -> Multi.createFrom().range(0, 1000)
                    .onItem().invoke(produced::incrementAndGet).onItem().transform(Result::ok));
            AssertSubscriber<Result<List<Result<Integer>>>> subscriber = gen.batch(4, LONG_WAIT).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(0));
            assertThat(produced).hasValue(0);
            subscriber.request(2);
            assertThat(subscriber.getItems()).hasSize(2);
            assertThat(produced).hasValue(8);
            subscriber.cancel();
        }
    }

    @Nested
    @DisplayName("by time (maxWait)")
    class ByTime {

        @Test
        @DisplayName("a slow producer gets a partial batch flushed once its first item has waited maxWait")
        void slowProducerPartialFlush() {
            ManualSource source = new ManualSource();
            AssertSubscriber<Result<List<Result<Integer>>>> subscriber = source.gen().batch(10, SHORT_WAIT).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            source.push(1, 2);
            subscriber.awaitItems(1, Await.LIMIT);
            assertThat(values(subscriber.getItems())).containsExactly(List.of(1, 2));

            source.push(3);
            subscriber.awaitItems(2, Await.LIMIT);
            source.processor.onComplete();
            subscriber.awaitCompletion(Await.LIMIT);
            assertThat(values(subscriber.getItems())).containsExactly(List.of(1, 2), List.of(3));
        }

        @Test
        @DisplayName("a partial batch that starts after a flush by size is still flushed by time")
        void timedFlushAfterSizeFlush() {
            ManualSource source = new ManualSource();
            AssertSubscriber<Result<List<Result<Integer>>>> subscriber = source.gen().batch(2, SHORT_WAIT).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            source.push(1, 2);
            source.push(3);
            subscriber.awaitItems(2, Await.LIMIT);
            source.push(4, 5, 6);
            subscriber.awaitItems(4, Await.LIMIT);
            assertThat(values(subscriber.getItems())).containsExactly(List.of(1, 2), List.of(3), List.of(4, 5), List.of(6));
            subscriber.cancel();
        }

        @Test
        @DisplayName("a slow producer and a slow consumer asking for one batch at a time: waits for demand, never fails, holds at most `size`")
        void slowProducerAndSlowConsumer() throws InterruptedException {
            ManualSource source = new ManualSource();
            AssertSubscriber<Result<List<Result<Integer>>>> subscriber = source.gen().batch(3, SHORT_WAIT).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(0));

            subscriber.request(1);
            source.push(1);
            subscriber.awaitItems(1, Await.LIMIT);
            assertThat(values(subscriber.getItems())).containsExactly(List.of(1));

            source.push(2, 3);
            Thread.sleep(3 * SHORT_WAIT.toMillis());
            assertThat(subscriber.getItems()).as("no demand: the expired batch waits").hasSize(1);
            assertThat(subscriber.getFailure()).isNull();

            subscriber.request(1);
            subscriber.awaitItems(2, Await.LIMIT);
            assertThat(values(subscriber.getItems())).containsExactly(List.of(1), List.of(2, 3));

            subscriber.request(1);
            source.push(4, 5, 6, 7);
            subscriber.awaitItems(3, Await.LIMIT);
            assertThat(source.requested.get()).as("asked upstream for at most one batch beyond the 6 items emitted")
                    .isLessThanOrEqualTo(6 + 3);

            subscriber.request(1);
            source.processor.onComplete();
            subscriber.awaitCompletion(Await.LIMIT);
            assertThat(values(subscriber.getItems())).containsExactly(List.of(1), List.of(2, 3), List.of(4, 5, 6), List.of(7));
            assertThat(subscriber.getFailure()).isNull();
        }

        @Test
        @DisplayName("at completion without demand, the last batch waits for a request")
        void lastBatchWaitsForDemand() {
            AssertSubscriber<Result<List<Result<Integer>>>> subscriber = AsyncGen.fromIterable(List.of(1, 2, 3))
                    .batch(2, LONG_WAIT).open().subscribe().withSubscriber(AssertSubscriber.create(1));
            assertThat(values(subscriber.getItems())).containsExactly(List.of(1, 2));
            assertThat(subscriber.hasCompleted()).isFalse();
            subscriber.request(1);
            subscriber.awaitCompletion(Await.LIMIT);
            assertThat(values(subscriber.getItems())).containsExactly(List.of(1, 2), List.of(3));
        }
    }

    @Nested
    @DisplayName("termination")
    class Termination {

        @Test
        @DisplayName("cancelling stops upstream and no timed flush follows")
        void cancelStopsEverything() throws InterruptedException {
            ManualSource source = new ManualSource();
            AssertSubscriber<Result<List<Result<Integer>>>> subscriber = source.gen().batch(5, SHORT_WAIT).open()
                    .subscribe().withSubscriber(AssertSubscriber.create(10));
            source.push(1);
            subscriber.cancel();
            Thread.sleep(3 * SHORT_WAIT.toMillis());
            assertThat(subscriber.getItems()).isEmpty();
            assertThat(source.cancelled).hasValue(1);
        }

        @Test
        @DisplayName("an upstream failure fails the stream")
        void upstreamFailureFails() {
            AsyncGen<Integer> gen = AsyncGen.defer(() -> Multi.createFrom().<Result<Integer>>failure(new IllegalStateException("up")));
            gen.batch(2, LONG_WAIT).open().subscribe().withSubscriber(AssertSubscriber.create(1))
                    .awaitFailure(Await.LIMIT).assertFailedWith(IllegalStateException.class, "up");
        }

        @Test
        @DisplayName("a bad size or maxWait is rejected eagerly")
        void badArgumentsRejected() {
            AsyncGen<Integer> gen = AsyncGen.of(1);
            assertThatThrownBy(() -> gen.batch(0, LONG_WAIT)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> gen.batch(2, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> gen.batch(2, null)).hasMessage("maxWait");
        }
    }
}
