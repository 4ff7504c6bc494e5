package io.funcpipe.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Err;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

@DisplayName("Fairness")
class FairnessTest {

    private static final int JOB = 1_000_000;

    /** Job {@code id}'s stream: values {@code id * JOB + k}, so every item names its job. */
    private static AsyncGen<Integer> job(int id, int items, AtomicInteger cancellations) {
        return AsyncGen.defer(() -> Multi.createFrom().range(id * JOB, id * JOB + items)
                .onCancellation().invoke(cancellations::incrementAndGet).onItem().transform(Result::ok));
    }

    private static int jobOf(Result<Integer> item) {
        return ((Ok<Integer>) item).value() / JOB;
    }

    private static int[] countByJob(List<Result<Integer>> items, int jobs) {
        int[] counts = new int[jobs];
        items.forEach(item -> counts[jobOf(item)]++);
        return counts;
    }

    @Nested
    @Group
    @DisplayName("weighted shares")
    class Shares {

        @Property(tries = 40)
        void capacityIsSharedWithinTenPercentOfTheWeights(@ForAll @Size(min = 2, max = 4) List<@IntRange(min = 1, max = 5) Integer> weights) {
            int total = weights.stream().mapToInt(Integer::intValue).sum();
            int taken = 1000 * total;
            List<Weighted<Integer>> jobs = new ArrayList<>();
            for (int i = 0; i < weights.size(); i++) {
                jobs.add(Weighted.of(job(i, taken, new AtomicInteger()), weights.get(i)));
            }

            List<Result<Integer>> items = FairMerge.merge(jobs).take(taken).collectAll().await().atMost(Duration.ofSeconds(20));

            int[] counts = countByJob(items, weights.size());
            for (int i = 0; i < weights.size(); i++) {
                double expected = (double) weights.get(i) / total;
                double actual = (double) counts[i] / taken;
                assertThat(Math.abs(actual - expected)).as("job %d with weight %d of %d got %d of %d items",
                        i, weights.get(i), total, counts[i], taken).isLessThanOrEqualTo(0.1 * expected);
            }
        }

        @Test
        void aSmallJobFinishesEarlyBesideALargeOne() {
            List<Result<Integer>> items = FairMerge.merge(List.of(
                            Weighted.of(job(0, 100_000, new AtomicInteger()), 1),
                            Weighted.of(job(1, 100, new AtomicInteger()), 1)))
                    .take(300).collectAll().await().atMost(Duration.ofSeconds(20));

            assertThat(countByJob(items, 2)[1]).as("the small job's items among the first 300").isEqualTo(100);
        }

        @Test
        void theStaticMergeIsAReplayableDescription() {
            AsyncGen<Integer> merged = FairMerge.merge(List.of(Weighted.of(job(0, 3, new AtomicInteger()), 1),
                    Weighted.of(job(1, 2, new AtomicInteger()), 2)));

            List<Result<Integer>> first = merged.collectAll().await().atMost(Duration.ofSeconds(5));
            List<Result<Integer>> second = merged.collectAll().await().atMost(Duration.ofSeconds(5));

            assertThat(first).hasSize(5).isEqualTo(second);
        }
    }

    @Nested
    @Group
    @DisplayName("a running merge")
    class Running {

        @Test
        void streamsJoinAndLeaveWhileItRuns() {
            AtomicInteger cancelledA = new AtomicInteger();
            FairMerge<Integer> merge = FairMerge.create();
            Lane<Integer> a = merge.add(job(0, 1_000_000, cancelledA), 1);
            AssertSubscriber<Result<Integer>> out = merge.output().open().subscribe().withSubscriber(AssertSubscriber.create(0));

            out.request(500);
            assertThat(countByJob(out.getItems(), 2)[0]).isEqualTo(500);

            Lane<Integer> b = merge.add(job(1, 1_000_000, new AtomicInteger()), 1);
            out.request(1000);
            int[] afterJoin = countByJob(out.getItems().subList(500, 1500), 2);
            assertThat(afterJoin[1]).as("a newcomer gets its share at once, not a catch-up burst").isBetween(450, 550);

            a.cancel();
            assertThat(cancelledA).hasValue(1);
            assertThat(a.isDone()).isTrue();
            out.request(100);
            assertThat(out.getItems().subList(1500, 1600)).allMatch(item -> jobOf(item) == 1);
            assertThat(b.emitted()).isEqualTo(afterJoin[1] + 100);

            merge.close();
            out.assertNotTerminated();
            b.cancel();
            out.assertCompleted();
        }

        @Test
        void theOutputCompletesAfterCloseOnceEveryStreamHasEnded() {
            FairMerge<Integer> merge = FairMerge.create();
            merge.add(job(0, 3, new AtomicInteger()), 1);
            AssertSubscriber<Result<Integer>> out = merge.output().open().subscribe().withSubscriber(AssertSubscriber.create(10));
            out.assertNotTerminated();
            merge.add(job(1, 2, new AtomicInteger()), 1);
            merge.close();

            out.assertCompleted();
            assertThat(out.getItems()).hasSize(5);
            assertThatThrownBy(() -> merge.add(job(2, 1, new AtomicInteger()), 1)).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void cancellingTheOutputCancelsEveryStream() {
            AtomicInteger cancellations = new AtomicInteger();
            FairMerge<Integer> merge = FairMerge.create();
            for (int i = 0; i < 3; i++) {
                merge.add(job(i, 1_000, cancellations), i + 1);
            }
            AssertSubscriber<Result<Integer>> out = merge.output().open().subscribe().withSubscriber(AssertSubscriber.create(10));
            out.cancel();

            assertThat(cancellations).hasValue(3);
        }

        @Test
        void aFailingStreamBecomesOneErrAndTheOthersGoOn() {
            FairMerge<Integer> merge = FairMerge.create();
            merge.add(AsyncGen.defer(() -> Multi.createFrom().failure(new IllegalStateException("disk gone"))), 1);
            merge.add(job(1, 5, new AtomicInteger()), 1);
            merge.close();

            List<Result<Integer>> items = merge.output().collectAll().await().atMost(Duration.ofSeconds(5));

            assertThat(items).hasSize(6);
            assertThat(items.stream().filter(r -> r instanceof Err<Integer>)).hasSize(1);
        }

        @Test
        void theOutputCanBeSubscribedOnce() {
            FairMerge<Integer> merge = FairMerge.create();
            merge.output().open().subscribe().withSubscriber(AssertSubscriber.create(1));
            merge.output().open().subscribe().withSubscriber(AssertSubscriber.<Result<Integer>>create(1))
                    .assertFailedWith(IllegalStateException.class);
        }

        @Test
        void eachStreamHoldsAtMostItsPrefetch() {
            AtomicInteger produced = new AtomicInteger();
            FairMerge<Integer> merge = FairMerge.create();
            merge.add(AsyncGen.defer(() -> Multi.createFrom().range(0, 10_000).onItem().invoke(produced::incrementAndGet)
                    .onItem().transform(Result::ok)), Fairness.DEFAULT.withPrefetch(8));
            AssertSubscriber<Result<Integer>> out = merge.output().open().subscribe().withSubscriber(AssertSubscriber.create(0));

            for (int i = 0; i < 20; i++) {
                assertThat(produced.get() - out.getItems().size()).isLessThanOrEqualTo(8);
                out.request(i);
            }
            out.cancel();
        }
    }

    @Nested
    @DisplayName("validation")
    class Validation {

        @Test
        void badValuesAreRejectedNamingTheField() {
            assertThatThrownBy(() -> Fairness.of(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("fairness.weight must be >= 1, got 0");
            assertThatThrownBy(() -> Fairness.DEFAULT.withPrefetch(-3)).hasMessage("fairness.prefetch must be >= 1, got -3");
            assertThat(Fairness.DEFAULT).isEqualTo(new Fairness(1, 16));
        }
    }
}
