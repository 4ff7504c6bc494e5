package io.funcpipe.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

@DisplayName("PolicyInterpreter")
class PolicyInterpreterTest {

    /** A service that fails each key's first {@code failures} calls with UNAVAILABLE. */
    private static AsyncPlan<String> flaky(int key, int failures, Map<Integer, AtomicInteger> calls) {
        return AsyncPlan.defer(() -> {
            int call = calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return io.smallrye.mutiny.Uni.createFrom().item(call <= failures
                    ? Result.<String>err(ErrInfo.of(ErrCode.UNAVAILABLE, "busy"))
                    : Result.ok("v" + key));
        });
    }

    @Nested
    @Group
    @DisplayName("a stage under every policy")
    class Stage {

        @Property(tries = 30)
        void everyItemEndsOkOrErrInInputOrderAndNothingIsLost(@ForAll @IntRange(min = 0, max = 40) int items,
                                                             @ForAll @IntRange(min = 0, max = 4) int failures,
                                                             @ForAll @IntRange(min = 1, max = 4) int maxAttempts) {
            Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
            Policies policies = Policies.DEFAULT
                    .withRetry(RetryPolicy.of(maxAttempts).withBackOff(Duration.ofMillis(5), Duration.ofMillis(20)))
                    .withRateLimit(RateLimit.of(1_000_000, 1_000))
                    .withBackpressure(Backpressure.of(8, Overflow.WAIT));
            AsyncGen<Integer> input = AsyncGen.fromIterable(IntStream.range(0, items).boxed().toList());

            List<Result<String>> out = PolicyInterpreter.of(policies).withTicker(TestTicker.instant())
                    .mapAsync(input, 4, key -> flaky(key, failures, calls))
                    .collectAll().await().atMost(Duration.ofSeconds(10));

            assertThat(out).hasSize(items);
            for (int key = 0; key < items; key++) {
                Result<String> result = out.get(key);
                if (failures < maxAttempts) {
                    assertThat(result).isEqualTo(Result.ok("v" + key));
                } else {
                    assertThat(result).isInstanceOfSatisfying(Err.class, err ->
                            assertThat(err.error().details()).containsEntry("attempts", Integer.toString(maxAttempts)));
                }
                assertThat(calls.get(key).get()).isLessThanOrEqualTo(maxAttempts);
            }
        }

        @Test
        void aJobJoinsASharedFairMergeWithItsOwnWeight() {
            FairMerge<Integer> shared = FairMerge.create();
            PolicyInterpreter heavy = PolicyInterpreter.of(Policies.DEFAULT.withFairness(Fairness.of(3)));
            Lane<Integer> lane = heavy.join(shared, AsyncGen.fromIterable(List.of(1, 2)));
            shared.close();

            assertThat(lane.fairness().weight()).isEqualTo(3);
            assertThat(shared.output().collectAll().await().atMost(Duration.ofSeconds(5)))
                    .containsExactly(Result.ok(1), Result.ok(2));
            assertThat(lane.isDone()).isTrue();
        }
    }
}
