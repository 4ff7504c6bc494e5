package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;

@DisplayName("AsyncGen.using (Using)")
class UsingTest {

    private final AtomicInteger acquired = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();

    private AsyncPlan<String> acquire() {
        return AsyncPlan.defer(() -> Uni.createFrom().item(() -> {
            acquired.incrementAndGet();
            return Result.ok("conn");
        }));
    }

    private Function<String, Uni<Void>> release() {
        return r -> Uni.createFrom().voidItem().invoke(released::incrementAndGet);
    }

    private static ErrCode codeOf(Result<?> result) {
        assertThat(result).isInstanceOf(Err.class);
        return ((Err<?>) result).error().code();
    }

    @Nested
    @DisplayName("releases exactly once")
    class ReleasesOnce {

        @Test
        @DisplayName("on completion, after the last item")
        void onCompletion() {
            List<String> order = new CopyOnWriteArrayList<>();
            AsyncGen<Integer> gen = AsyncGen.using(acquire(),
                    r -> Uni.createFrom().voidItem().invoke(() -> { released.incrementAndGet(); order.add("release"); }),
                    r -> AsyncGen.fromIterable(List.of(1, 2)).onOk(x -> order.add("item " + x)));
            assertThat(Await.all(gen)).containsExactly(Result.ok(1), Result.ok(2));
            assertThat(order).containsExactly("item 1", "item 2", "release");
            assertThat(released).hasValue(1);
        }

        @Test
        @DisplayName("on cancellation in the middle of the stream")
        void onCancellation() {
            AsyncGen<Integer> gen = AsyncGen.using(acquire(), release(), r -> AsyncGen.fromIterable(List.of(1, 2, 3, 4)));
            assertThat(Await.all(gen.take(2))).containsExactly(Result.ok(1), Result.ok(2));
            assertThat(released).hasValue(1);
        }

        @Test
        @DisplayName("on an upstream failure, which still fails the stream")
        void onUpstreamFailure() {
            AsyncGen<Integer> gen = AsyncGen.using(acquire(), release(),
                    r -> AsyncGen.defer(() -> Multi.createFrom().<Result<Integer>>failure(new IllegalStateException("io"))));
            gen.open().subscribe().withSubscriber(AssertSubscriber.create(5))
                    .awaitFailure(Await.LIMIT).assertFailedWith(IllegalStateException.class, "io");
            assertThat(released).hasValue(1);
        }

        @Test
        @DisplayName("when `use` throws: the Err is the item and the resource is released")
        void whenUseThrows() {
            AsyncGen<Integer> gen = AsyncGen.using(acquire(), release(), r -> { throw new IllegalStateException("bad use"); });
            assertThat(Await.all(gen)).singleElement().satisfies(r -> assertThat(codeOf(r)).isEqualTo(ErrCode.EXCEPTION));
            assertThat(released).hasValue(1);
        }

        @Test
        @DisplayName("each run acquires and releases its own resource")
        void perRun() {
            AsyncGen<Integer> gen = AsyncGen.using(acquire(), release(), r -> AsyncGen.of(1));
            Await.all(gen);
            Await.all(gen);
            assertThat(acquired).hasValue(2);
            assertThat(released).hasValue(2);
        }
    }

    @Nested
    @DisplayName("failures of the resource itself")
    class ResourceFailures {

        @Test
        @DisplayName("a throwing release after completion gives a last RELEASE_FAILED item, called once")
        void throwingRelease() {
            AsyncGen<Integer> gen = AsyncGen.using(acquire(), r -> {
                released.incrementAndGet();
                throw new IllegalStateException("close failed");
            }, r -> AsyncGen.of(1));
            List<Result<Integer>> out = Await.all(gen);
            assertThat(out).hasSize(2);
            assertThat(out.getFirst()).isEqualTo(Result.ok(1));
            assertThat(codeOf(out.getLast())).isEqualTo(ErrCode.RELEASE_FAILED);
            assertThat(released).hasValue(1);
        }

        @Test
        @DisplayName("a failing acquire gives one ACQUIRE_FAILED item, starts nothing, releases nothing")
        void failingAcquire() {
            AtomicInteger used = new AtomicInteger();
            AsyncGen<Integer> gen = AsyncGen.using(AsyncPlan.<String>failed(ErrInfo.of(ErrCode.IO_ERROR, "refused")),
                    release(), r -> { used.incrementAndGet(); return AsyncGen.of(1); });
            List<Result<Integer>> out = Await.all(gen);
            assertThat(out).singleElement().satisfies(r -> {
                assertThat(codeOf(r)).isEqualTo(ErrCode.ACQUIRE_FAILED);
                assertThat(((Err<Integer>) r).error().details()).containsEntry("cause", "IO_ERROR");
            });
            assertThat(used).hasValue(0);
            assertThat(released).hasValue(0);
        }

        @Test
        @DisplayName("null arguments are rejected eagerly")
        void nullArguments() {
            assertThatThrownBy(() -> AsyncGen.using(null, release(), r -> AsyncGen.of(1))).hasMessage("acquire");
            assertThatThrownBy(() -> AsyncGen.<String, Integer>using(acquire(), null, r -> AsyncGen.of(1))).hasMessage("release");
            assertThatThrownBy(() -> AsyncGen.<String, Integer>using(acquire(), release(), null)).hasMessage("use");
        }
    }

    @Nested
    @DisplayName("asynchronous acquire")
    class AsyncAcquire {

        @Test
        @DisplayName("cancelled while acquiring: the resource that arrives later is released once")
        void cancelledWhileAcquiring() {
            AtomicReference<UniEmitter<? super Result<String>>> pending = new AtomicReference<>();
            AsyncPlan<String> slow = AsyncPlan.defer(() -> Uni.createFrom().<Result<String>>emitter(pending::set));
            AsyncGen<Integer> gen = AsyncGen.using(slow, release(), r -> AsyncGen.of(1));

            AssertSubscriber<Result<Integer>> subscriber = gen.open().subscribe().withSubscriber(AssertSubscriber.create(1));
            subscriber.cancel();
            assertThat(released).hasValue(0);
            pending.get().complete(Result.ok("late"));

            Await.until(() -> released.get() == 1, "the late resource is released");
            assertThat(subscriber.getItems()).isEmpty();
        }

        @Test
        @DisplayName("acquire completing on another thread while the subscriber cancels: released once, every time")
        void raceBetweenAcquireAndCancel() throws InterruptedException {
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                int rounds = 2000;
                for (int i = 0; i < rounds; i++) {
                    CountDownLatch go = new CountDownLatch(1);
                    AsyncPlan<String> acquire = AsyncPlan.defer(() -> Uni.createFrom().emitter(e -> other.execute(() -> {
                        awaitQuietly(go);
                        acquired.incrementAndGet();
                        e.complete(Result.ok("r"));
                    })));
                    AsyncGen<Integer> gen = AsyncGen.using(acquire, release(), r -> AsyncGen.fromIterable(List.of(1, 2)));
                    AssertSubscriber<Result<Integer>> subscriber = gen.open().subscribe().withSubscriber(AssertSubscriber.create(0));
                    go.countDown();
                    subscriber.cancel();
                }
                other.shutdown();
                assertThat(other.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
                Await.until(() -> released.get() >= rounds, "every acquired resource is released");
                assertThat(acquired).hasValue(rounds);
                assertThat(released).hasValue(rounds);
            } finally {
                other.shutdownNow();
            }
        }

        @Test
        @DisplayName("an AutoCloseable resource is closed once at completion")
        void autoCloseable() {
            AutoCloseable resource = released::incrementAndGet;
            AsyncGen<Integer> gen = AsyncGen.using(() -> resource, r -> AsyncGen.fromIterable(List.of(1, 2, 3)));
            assertThat(Await.all(gen.take(2))).hasSize(2);
            assertThat(Await.all(gen)).hasSize(3);
            assertThat(released).hasValue(2);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
