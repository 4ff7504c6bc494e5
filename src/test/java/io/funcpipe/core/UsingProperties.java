package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/**
 * Resource safety of {@link AsyncGen#using}: a resource that was acquired is released exactly
 * once, at every cancellation point, on upstream failure and when release throws; a failed
 * acquire releases nothing.
 */
@Label("resource safety of using")
class UsingProperties {

    /** How the body stream ends. */
    enum Ending { COMPLETES, FAILS }

    /** How release behaves. */
    enum Release { OK, THROWS, FAILED_UNI, ASYNC }

    /** How acquire behaves. */
    enum Acquire { SYNC, ASYNC, ERR, THROWS }

    @Provide
    Arbitrary<List<Result<Integer>>> items() {
        return ResultArbitraries.resultLists(8);
    }

    @Provide
    Arbitrary<Integer> cancelPoints() {
        return Arbitraries.integers().between(0, 10);
    }

    @Property(tries = 300)
    @Label("released exactly once, whatever the ending, cancellation point and release behaviour")
    void releasedExactlyOnce(@ForAll("items") List<Result<Integer>> items,
                             @ForAll Ending ending,
                             @ForAll Release release,
                             @ForAll Acquire acquire,
                             @ForAll("cancelPoints") int cancelAt,
                             @ForAll boolean cancelByTake) {
        Resource resource = new Resource();
        AsyncGen<Integer> gen = AsyncGen.using(resource.acquire(acquire), resource.release(release),
                r -> body(items, ending));

        List<Result<Integer>> out;
        if (cancelByTake) {
            out = gen.take(cancelAt).open().collect().asList()
                    .onFailure().recoverWithItem(List.of()).await().atMost(Await.LIMIT);
        } else {
            AssertSubscriber<Result<Integer>> subscriber = gen.open().subscribe().withSubscriber(AssertSubscriber.create(cancelAt));
            Await.until(() -> subscriber.getItems().size() >= cancelAt || subscriber.hasCompleted()
                    || subscriber.getFailure() != null, "the subscriber got what it asked for or the stream ended");
            subscriber.cancel();
            out = subscriber.getItems();
        }

        boolean acquired = acquire == Acquire.SYNC || acquire == Acquire.ASYNC;
        if (acquired) {
            Await.until(() -> resource.acquired.get() == 1, "the resource is acquired");
            Await.until(() -> resource.released.get() >= 1, "the resource is released");
            assertThat(resource.released).as("released exactly once").hasValue(1);
        } else {
            assertThat(resource.acquired).hasValue(0);
            assertThat(resource.released).hasValue(0);
            assertThat(out).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(Err.class,
                    e -> assertThat(e.error().code()).isEqualTo(ErrCode.ACQUIRE_FAILED)));
            assertThat(out).hasSizeLessThanOrEqualTo(1);
        }
        boolean ranToCompletion = acquired && ending == Ending.COMPLETES && cancelAt > items.size();
        if (ranToCompletion) {
            List<Result<Integer>> expected = new ArrayList<>(items);
            if (release == Release.THROWS || release == Release.FAILED_UNI) {
                assertThat(out).hasSize(items.size() + 1);
                assertThat(out.getLast()).isInstanceOfSatisfying(Err.class,
                        e -> assertThat(e.error().code()).isEqualTo(ErrCode.RELEASE_FAILED));
                expected.add(out.getLast());
            }
            assertThat(out).isEqualTo(expected);
        } else if (acquired) {
            assertThat(out).isEqualTo(items.subList(0, Math.min(out.size(), items.size())));
        }
    }

    @Property(tries = 100)
    @Label("an asynchronous acquire cancelled while acquiring still releases its resource once")
    void cancelledWhileAcquiring(@ForAll @IntRange(min = 1, max = 5) int acquireMillis,
                                 @ForAll @IntRange(min = 0, max = 6) int cancelAfterMillis) throws InterruptedException {
        Resource resource = new Resource();
        AsyncGen<Integer> gen = AsyncGen.using(resource.acquireAfter(Duration.ofMillis(acquireMillis)),
                resource.release(Release.OK), r -> AsyncGen.fromIterable(List.of(1, 2, 3)));

        AssertSubscriber<Result<Integer>> subscriber = gen.open().subscribe().withSubscriber(AssertSubscriber.create(1));
        Thread.sleep(cancelAfterMillis);
        subscriber.cancel();

        Await.until(() -> resource.acquired.get() == 1, "the resource is acquired");
        Await.until(() -> resource.released.get() >= 1, "the resource is released");
        assertThat(resource.released).as("released exactly once").hasValue(1);
    }

    private static AsyncGen<Integer> body(List<Result<Integer>> items, Ending ending) {
        return AsyncGen.defer(() -> {
            Multi<Result<Integer>> multi = Multi.createFrom().iterable(items);
            return ending == Ending.FAILS ? multi.onCompletion().failWith(new IllegalStateException("boom")) : multi;
        });
    }

    /** A resource that counts how often it was acquired and released. */
    private static final class Resource {
        final AtomicInteger acquired = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();

        AsyncPlan<String> acquire(Acquire mode) {
            return switch (mode) {
                case SYNC -> AsyncPlan.defer(() -> Uni.createFrom().item(() -> take()));
                case ASYNC -> acquireAfter(Duration.ofMillis(1));
                case ERR -> AsyncPlan.failed(ErrInfo.of(ErrCode.IO_ERROR, "no connection"));
                case THROWS -> AsyncPlan.defer(() -> {
                    throw new IllegalStateException("cannot open");
                });
            };
        }

        AsyncPlan<String> acquireAfter(Duration delay) {
            return AsyncPlan.defer(() -> Uni.createFrom().item("pending").onItem().delayIt().by(delay)
                    .onItem().transform(ignored -> take()));
        }

        Function<String, Uni<Void>> release(Release mode) {
            return r -> switch (mode) {
                case OK -> Uni.createFrom().voidItem().invoke(released::incrementAndGet);
                case THROWS -> {
                    released.incrementAndGet();
                    throw new IllegalStateException("release threw");
                }
                case FAILED_UNI -> Uni.createFrom().<Void>failure(new IllegalStateException("release failed"))
                        .onSubscription().invoke(released::incrementAndGet);
                case ASYNC -> Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(1))
                        .invoke(released::incrementAndGet);
            };
        }

        private Result<String> take() {
            acquired.incrementAndGet();
            return Result.ok("resource");
        }
    }
}
