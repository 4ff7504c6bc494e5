package io.funcpipe.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

@DisplayName("RetryPolicy")
class RetryPolicyTest {

    private static final ErrInfo FLAKY = ErrInfo.of(ErrCode.UNAVAILABLE, "service unavailable");

    /** A step that fails with {@code error} on its first {@code failures} runs, then succeeds. */
    private static AsyncPlan<String> failingFirst(int failures, ErrInfo error, AtomicInteger runs) {
        return AsyncPlan.defer(() -> Uni.createFrom().item(() ->
                runs.incrementAndGet() <= failures ? Result.<String>err(error) : Result.ok("done")));
    }

    private static Result<String> run(RetryPolicy policy, TestTicker ticker, AsyncPlan<String> step) {
        return PolicyInterpreter.of(Policies.DEFAULT.withRetry(policy)).withTicker(ticker)
                .retry(step).open().await().atMost(Duration.ofSeconds(5));
    }

    @Nested
    @Group
    @DisplayName("attempts")
    class Attempts {

        @Property(tries = 200)
        void attemptsNeverExceedMaxAndTheLastErrCarriesTheCount(@ForAll @IntRange(min = 1, max = 8) int maxAttempts,
                                                               @ForAll @IntRange(min = 0, max = 12) int failures) {
            AtomicInteger runs = new AtomicInteger();
            TestTicker ticker = TestTicker.instant();
            Result<String> result = run(RetryPolicy.of(maxAttempts), ticker, failingFirst(failures, FLAKY, runs));

            assertThat(runs.get()).isLessThanOrEqualTo(maxAttempts).isEqualTo(Math.min(failures + 1, maxAttempts));
            assertThat(ticker.delays()).hasSize(runs.get() - 1);
            if (failures < maxAttempts) {
                assertThat(result).isEqualTo(Result.ok("done"));
            } else {
                assertThat(result).isInstanceOfSatisfying(Err.class, err ->
                        assertThat(err.error().details()).containsEntry("attempts", Integer.toString(maxAttempts)));
            }
        }

        @Property(tries = 100)
        void aRetryThatSucceedsYieldsExactlyOneOk(@ForAll @IntRange(min = 0, max = 4) int failures) {
            AtomicInteger runs = new AtomicInteger();
            List<Result<String>> items = PolicyInterpreter.of(Policies.DEFAULT.withRetry(RetryPolicy.of(5)))
                    .withTicker(TestTicker.instant())
                    .retry(failingFirst(failures, FLAKY, runs)).toGen()
                    .collectAll().await().atMost(Duration.ofSeconds(5));

            assertThat(items).containsExactly(Result.ok("done"));
        }

        @Test
        void aCodeThatIsNotRetryableIsFinalAtOnce() {
            AtomicInteger runs = new AtomicInteger();
            Result<String> result = run(RetryPolicy.of(5), TestTicker.instant(),
                    failingFirst(3, ErrInfo.of(ErrCode.MALFORMED_RECORD, "bad row"), runs));

            assertThat(runs).hasValue(1);
            assertThat(result).isInstanceOfSatisfying(Err.class, err ->
                    assertThat(err.error().details()).containsEntry("attempts", "1"));
        }

        @Test
        void nestedRetriesKeepTheirOwnCounters() {
            AtomicInteger runs = new AtomicInteger();
            TestTicker ticker = TestTicker.instant();
            PolicyInterpreter inner = PolicyInterpreter.of(Policies.DEFAULT.withRetry(RetryPolicy.of(2))).withTicker(ticker);
            PolicyInterpreter outer = PolicyInterpreter.of(Policies.DEFAULT.withRetry(RetryPolicy.of(3))).withTicker(ticker);
            AsyncPlan<String> nested = outer.retry(inner.retry(failingFirst(100, FLAKY, runs)));

            Result<String> result = nested.open().await().atMost(Duration.ofSeconds(5));

            assertThat(runs).hasValue(2 * 3);
            assertThat(result).isInstanceOfSatisfying(Err.class, err ->
                    assertThat(err.error().details()).containsEntry("attempts", "3"));
            runs.set(0);
            nested.open().await().atMost(Duration.ofSeconds(5));
            assertThat(runs).as("a second run starts from fresh counters").hasValue(6);
        }

        @Test
        void theTimeBudgetStopsRetriesEarly() {
            AtomicInteger runs = new AtomicInteger();
            RetryPolicy policy = RetryPolicy.of(10).withJitter(0)
                    .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(1)).expireIn(Duration.ofMillis(3500));

            Result<String> result = run(policy, TestTicker.instant(), failingFirst(100, FLAKY, runs));

            assertThat(runs).hasValue(4);
            assertThat(result).isInstanceOfSatisfying(Err.class, err -> assertThat(err.error().details())
                    .containsEntry("attempts", "4").containsKey("retryExpiredAfter"));
        }
    }

    @Nested
    @Group
    @DisplayName("backoff")
    class Backoff {

        @Property(tries = 500)
        void everyDelayLiesWithinTheJitteredExponentialBound(@ForAll @IntRange(min = 0, max = 2000) int initialMs,
                                                            @ForAll @IntRange(min = 0, max = 60_000) int extraMs,
                                                            @ForAll @DoubleRange(min = 0, max = 1) double jitter,
                                                            @ForAll @IntRange(min = 1, max = 70) int retry,
                                                            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double u) {
            Duration initial = Duration.ofMillis(initialMs);
            Duration max = initial.plusMillis(extraMs);
            RetryPolicy policy = RetryPolicy.DEFAULT.withBackOff(initial, max).withJitter(jitter);

            long base = Math.min(max.toNanos(), (long) Math.min(Long.MAX_VALUE, initial.toNanos() * Math.pow(2, retry - 1)));
            long delay = policy.delayBefore(retry, u).toNanos();

            assertThat(delay).isLessThanOrEqualTo(base).isLessThanOrEqualTo(max.toNanos())
                    .isGreaterThanOrEqualTo((long) Math.floor(base * (1 - jitter)) - 1);
        }

        @Property(tries = 100)
        void recordedDelaysFollowTheBackoff(@ForAll @IntRange(min = 2, max = 8) int maxAttempts,
                                            @ForAll @DoubleRange(min = 0, max = 1) double jitter) {
            RetryPolicy policy = RetryPolicy.of(maxAttempts).withJitter(jitter).expireIn(Duration.ofHours(1))
                    .withBackOff(Duration.ofMillis(50), Duration.ofMillis(400));
            TestTicker ticker = TestTicker.instant();

            run(policy, ticker, failingFirst(100, FLAKY, new AtomicInteger()));

            List<Duration> delays = ticker.delays();
            assertThat(delays).hasSize(maxAttempts - 1);
            for (int k = 1; k <= delays.size(); k++) {
                long base = Math.min(400, 50L << (k - 1)) * 1_000_000L;
                assertThat(delays.get(k - 1).toNanos()).as("delay before retry %d", k)
                        .isBetween((long) Math.floor(base * (1 - jitter)) - 1, base);
            }
        }
    }

    @Nested
    @Group
    @DisplayName("cancellation")
    class Cancellation {

        @Test
        void cancellingDuringBackoffCancelsTheTimerAndStartsNoFurtherAttempt() {
            TestTicker ticker = TestTicker.manual();
            AtomicInteger runs = new AtomicInteger();
            AsyncPlan<String> plan = PolicyInterpreter.of(Policies.DEFAULT.withRetry(RetryPolicy.of(5))).withTicker(ticker)
                    .retry(failingFirst(100, FLAKY, runs));

            UniAssertSubscriber<Result<String>> sub = plan.open().subscribe().withSubscriber(UniAssertSubscriber.create());
            assertThat(ticker.pendingCount()).isEqualTo(1);
            sub.cancel();
            ticker.fireAll();

            assertThat(runs).hasValue(1);
            assertThat(ticker.cancelled).hasValue(1);
            assertThat(ticker.started.get()).isEqualTo(ticker.completed.get() + ticker.cancelled.get());
        }

        @Property(tries = 50)
        void cancellingMidRetryLeaksNothing(@ForAll @IntRange(min = 0, max = 4) int retriesBeforeCancel) {
            TestTicker ticker = TestTicker.manual();
            Probe probe = new Probe();
            AtomicInteger runs = new AtomicInteger();
            AsyncPlan<String> step = AsyncPlan.defer(() -> runs.incrementAndGet() <= retriesBeforeCancel
                    ? probe.<String>immediate(Result.err(FLAKY)).open()
                    : probe.<String>hanging().open());
            AsyncPlan<String> plan = PolicyInterpreter.of(Policies.DEFAULT.withRetry(RetryPolicy.of(10)))
                    .withTicker(ticker).retry(step);

            UniAssertSubscriber<Result<String>> sub = plan.open().subscribe().withSubscriber(UniAssertSubscriber.create());
            for (int i = 0; i < retriesBeforeCancel; i++) {
                ticker.fireAll();
            }
            sub.cancel();

            assertThat(probe.subscribed).hasValue(retriesBeforeCancel + 1);
            assertThat(probe.leaked()).isZero();
            assertThat(ticker.pendingCount()).isZero();
            sub.assertNotTerminated();
        }
    }

    @Nested
    @DisplayName("validation")
    class Validation {

        @Test
        void badValuesAreRejectedNamingTheField() {
            assertThatThrownBy(() -> RetryPolicy.of(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("retry.maxAttempts must be >= 1, got 0");
            assertThatThrownBy(() -> RetryPolicy.DEFAULT.withJitter(1.5)).hasMessageStartingWith("retry.jitter");
            assertThatThrownBy(() -> RetryPolicy.DEFAULT.withBackOff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                    .hasMessageStartingWith("retry.maxBackoff");
            assertThatThrownBy(() -> RetryPolicy.DEFAULT.withBackOff(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                    .hasMessageStartingWith("retry.initialBackoff");
            assertThatThrownBy(() -> RetryPolicy.DEFAULT.expireIn(Duration.ZERO)).hasMessageStartingWith("retry.expireIn");
            assertThatThrownBy(() -> RetryPolicy.DEFAULT.withRetryOn(null)).hasMessageStartingWith("retry.retryOn");
        }

        @Test
        void defaultsAreTheDocumentedOnes() {
            assertThat(RetryPolicy.DEFAULT).isEqualTo(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(10),
                    0.5, Duration.ofMinutes(1), Set.of(ErrCode.TIMEOUT, ErrCode.UNAVAILABLE, ErrCode.RATE_LIMITED)));
            assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
            assertThat(RetryPolicy.DEFAULT.withRetryOn(EnumSet.noneOf(ErrCode.class)).retries(ErrCode.TIMEOUT)).isFalse();
        }
    }
}
