package io.funcpipe.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

@DisplayName("TimeoutPolicy")
class TimeoutPolicyTest {

    private static PolicyInterpreter interpreter(TimeoutPolicy timeout, Ticker ticker) {
        return PolicyInterpreter.of(Policies.DEFAULT.withTimeout(timeout).withRetry(RetryPolicy.none())).withTicker(ticker);
    }

    @Nested
    @Group
    @DisplayName("per item")
    class PerItem {

        @Test
        void aStepPastItsDeadlineBecomesTimeoutAndIsCancelled() {
            Probe probe = new Probe();
            TestTicker ticker = TestTicker.manual();
            UniAssertSubscriber<Result<String>> sub = interpreter(TimeoutPolicy.perItem(Duration.ofSeconds(1)), ticker)
                    .timeout(probe.<String>hanging()).open().subscribe().withSubscriber(UniAssertSubscriber.create());

            ticker.fireAll();

            Result<String> result = sub.assertCompleted().getItem();
            assertThat(result).isInstanceOfSatisfying(Err.class, err -> assertThat(err.error().code()).isEqualTo(ErrCode.TIMEOUT));
            assertThat(probe.cancelled).as("the late step is cancelled").hasValue(1);
            assertThat(probe.leaked()).isZero();
        }

        @Test
        void aStepInTimeKeepsItsResultAndStopsTheTimer() {
            Probe probe = new Probe();
            TestTicker ticker = TestTicker.manual();
            Result<String> result = interpreter(TimeoutPolicy.perItem(Duration.ofSeconds(1)), ticker)
                    .timeout(probe.immediate(Result.ok("fast"))).open().await().atMost(Duration.ofSeconds(5));

            assertThat(result).isEqualTo(Result.ok("fast"));
            assertThat(ticker.pendingCount()).isZero();
            assertThat(ticker.completed).as("the timer never fired").hasValue(0);
            assertThat(ticker.started).hasValue(ticker.cancelled.get());
            assertThat(probe.leaked()).isZero();
        }

        @Test
        void aTimeoutOnRealTimeReleasesTheStepsResource() {
            Probe probe = new Probe();
            Result<String> result = interpreter(TimeoutPolicy.perItem(Duration.ofMillis(20)), Ticker.MUTINY)
                    .timeout(probe.<String>hanging()).open().await().atMost(Duration.ofSeconds(5));

            assertThat(result).isInstanceOfSatisfying(Err.class, err -> assertThat(err.error().code()).isEqualTo(ErrCode.TIMEOUT));
            assertThat(probe.leaked()).isZero();
        }

        @Property(tries = 30)
        void cancellingMidTimeoutLeaksNothing(@ForAll @IntRange(min = 1, max = 20) int items,
                                              @ForAll @IntRange(min = 0, max = 20) int timeouts) {
            Probe probe = new Probe();
            TestTicker ticker = TestTicker.manual();
            PolicyInterpreter policies = interpreter(TimeoutPolicy.perItem(Duration.ofSeconds(1)), ticker);
            AsyncGen<String> gen = AsyncGen.fromIterable(java.util.stream.IntStream.range(0, items).boxed().toList())
                    .mapAsync(4, i -> policies.timeout(probe.<String>hanging()).open());

            AssertSubscriber<Result<String>> sub = gen.open().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            for (int i = 0; i < timeouts; i++) {
                ticker.fireAll();
            }
            sub.cancel();

            assertThat(probe.leaked()).isZero();
            assertThat(ticker.pendingCount()).isZero();
            assertThat(ticker.started.get()).isEqualTo(ticker.completed.get() + ticker.cancelled.get());
        }

        @Test
        void timeoutsAreRetriedWhenTheRetryPolicySaysSo() {
            Probe probe = new Probe();
            PolicyInterpreter policies = PolicyInterpreter.of(Policies.DEFAULT
                            .withTimeout(TimeoutPolicy.perItem(Duration.ofMillis(10)))
                            .withRetry(RetryPolicy.of(3).withBackOff(Duration.ZERO, Duration.ZERO)));

            Result<String> result = policies.call(probe.<String>hanging()).open().await().atMost(Duration.ofSeconds(5));

            assertThat(probe.subscribed).hasValue(3);
            assertThat(probe.leaked()).isZero();
            assertThat(result).isInstanceOfSatisfying(Err.class, err -> assertThat(err.error().details())
                    .containsEntry("attempts", "3"));
        }
    }

    @Nested
    @Group
    @DisplayName("per stream")
    class PerStream {

        @Test
        void aStreamPastItsDeadlineIsCancelledAndEndsWithTimeout() {
            TestTicker ticker = TestTicker.manual();
            AtomicInteger cancelled = new AtomicInteger();
            AsyncGen<Long> endless = AsyncGen.defer(() -> Multi.createFrom().ticks().every(Duration.ofMillis(1))
                    .onItem().transform(Result::ok).onCancellation().invoke(cancelled::incrementAndGet));
            AsyncGen<Long> bounded = interpreter(TimeoutPolicy.of(Duration.ZERO, Duration.ofSeconds(1)), ticker).deadline(endless);

            AssertSubscriber<Result<Long>> sub = bounded.open().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            sub.awaitItems(3);
            ticker.fireAll();
            sub.awaitCompletion();

            List<Result<Long>> items = sub.getItems();
            assertThat(items.get(items.size() - 1)).isInstanceOfSatisfying(Err.class, err ->
                    assertThat(err.error().code()).isEqualTo(ErrCode.TIMEOUT));
            assertThat(items.subList(0, items.size() - 1)).allMatch(Result::isOk);
            assertThat(cancelled).hasValue(1);
        }

        @Test
        void aStreamInTimeIsUnchangedAndStopsItsTimer() {
            TestTicker ticker = TestTicker.manual();
            List<Result<Integer>> items = interpreter(TimeoutPolicy.of(Duration.ZERO, Duration.ofSeconds(1)), ticker)
                    .deadline(AsyncGen.fromIterable(List.of(1, 2, 3))).collectAll().await().atMost(Duration.ofSeconds(5));

            assertThat(items).containsExactly(Result.ok(1), Result.ok(2), Result.ok(3));
            assertThat(ticker.pendingCount()).isZero();
        }

        @Test
        void theTimeoutItemWaitsForDemand() {
            TestTicker ticker = TestTicker.manual();
            AsyncGen<Integer> bounded = interpreter(TimeoutPolicy.of(Duration.ZERO, Duration.ofSeconds(1)), ticker)
                    .deadline(AsyncGen.defer(() -> Multi.createFrom().<Result<Integer>>nothing()));

            AssertSubscriber<Result<Integer>> sub = bounded.open().subscribe().withSubscriber(AssertSubscriber.create(0));
            ticker.fireAll();
            sub.assertNotTerminated().assertHasNotReceivedAnyItem();
            sub.request(1);
            sub.assertCompleted();
            assertThat(sub.getItems()).singleElement().isInstanceOf(Err.class);
        }
    }

    @Nested
    @DisplayName("validation")
    class Validation {

        @Test
        void negativeDeadlinesAreRejectedNamingTheField() {
            assertThatThrownBy(() -> TimeoutPolicy.perItem(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout.perItem must be >= 0, got PT-0.001S");
            assertThatThrownBy(() -> TimeoutPolicy.DEFAULT.withPerStream(null)).hasMessageStartingWith("timeout.perStream");
        }

        @Test
        void zeroMeansNoDeadline() {
            AsyncPlan<String> plan = AsyncPlan.of("x");
            assertThat(interpreter(TimeoutPolicy.NONE, Ticker.MUTINY).timeout(plan)).isSameAs(plan);
            assertThat(TimeoutPolicy.DEFAULT).isEqualTo(TimeoutPolicy.of(Duration.ofSeconds(30), Duration.ZERO));
        }
    }
}
