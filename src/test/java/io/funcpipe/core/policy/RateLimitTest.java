package io.funcpipe.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

@DisplayName("RateLimit")
class RateLimitTest {

    /**
     * Whether at most {@code burst + rate * window} of the sorted grant times fall in every window.
     * Grants are scheduled on a nanosecond clock, rounded up from the exact (fractional) arrival
     * times, so two grants can be up to 1 ns closer than the exact spacing: each window is widened
     * by that nanosecond.
     */
    private static void assertWithinRate(List<Long> grants, RateLimit limit, double tolerance) {
        for (int i = 0; i < grants.size(); i++) {
            for (int j = i; j < grants.size(); j++) {
                double window = (grants.get(j) - grants.get(i) + 1) / 1e9;
                double allowed = limit.burst() + limit.permitsPerSecond() * window * tolerance;
                assertThat((double) (j - i + 1)).as("grants %d..%d over %.6f s", i, j, window)
                        .isLessThanOrEqualTo(allowed + 1e-6);
            }
        }
    }

    @Nested
    @Group
    @DisplayName("token bucket")
    class Bucket {

        @Property(tries = 300)
        void grantsNeverExceedBurstPlusRateOverAnyWindow(@ForAll @DoubleRange(min = 0.5, max = 2000) double rate,
                                                        @ForAll @IntRange(min = 1, max = 20) int burst,
                                                        @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 0, max = 50_000) Integer> gapsMicros) {
            RateLimit limit = RateLimit.of(rate, burst);
            RateLimiter limiter = RateLimiter.of(limit, TestTicker.instant());
            long now = 5_000_000_000L;
            List<Long> grants = new ArrayList<>();
            for (int gap : gapsMicros) {
                now += gap * 1_000L;
                long wait = limiter.reserve(now);
                assertThat(wait).isNotNegative();
                grants.add(now + wait);
            }
            assertThat(grants).isSorted();
            assertWithinRate(grants, limit, 1.0);
        }

        @Property(tries = 100)
        void aBurstGoesAtOnceAfterAQuietSpell(@ForAll @IntRange(min = 1, max = 50) int burst) {
            RateLimiter limiter = RateLimiter.of(RateLimit.of(1, burst), TestTicker.instant());
            long now = 1_000_000_000L;
            for (int i = 0; i < burst; i++) {
                assertThat(limiter.reserve(now)).isZero();
            }
            assertThat(limiter.reserve(now)).isPositive();
        }
    }

    @Nested
    @Group
    @DisplayName("shared limiter")
    class Shared {

        @Test
        void streamsSharingALimiterStayWithinTheRateTogether() {
            RateLimit limit = RateLimit.of(100, 5);
            RateLimiter shared = RateLimiter.of(limit);
            AsyncGen<Integer> a = shared.limit(AsyncGen.fromIterable(IntStream.range(0, 40).boxed().toList()));
            AsyncGen<Integer> b = shared.limit(AsyncGen.fromIterable(IntStream.range(100, 140).boxed().toList()));

            long start = System.nanoTime();
            List<Result<Integer>> items = AsyncGen.gather(List.of(a, b), 2)
                    .collectAll().await().atMost(Duration.ofSeconds(20));
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(items).hasSize(80).allMatch(Result::isOk);
            // Together the 80 items take at least (80 - burst) / rate = 0.75 s of permits (a limiter per
            // stream would let them through in about half that). A loaded machine only adds time, so
            // this lower bound holds however busy it is; 5% absorbs timer granularity.
            assertThat(seconds).isGreaterThanOrEqualTo((80 - limit.burst()) / limit.permitsPerSecond() * 0.95);
        }

        @Test
        void waitingDoesNotBlockTheCaller() {
            RateLimiter limiter = RateLimiter.of(RateLimit.of(2, 1));
            AsyncPlan<String> call = limiter.limit(AsyncPlan.of("called"));
            assertThat(call.open().await().atMost(Duration.ofSeconds(5))).isEqualTo(Result.ok("called"));

            UniAssertSubscriber<Result<String>> second = call.open().subscribe().withSubscriber(UniAssertSubscriber.create());

            second.assertNotTerminated();
            assertThat(second.awaitItem(Duration.ofSeconds(5)).getItem()).isEqualTo(Result.ok("called"));
        }

        @Test
        void theInterpreterTakesPermitsFromTheLimiterItIsGiven() {
            RateLimiter shared = RateLimiter.of(RateLimit.of(1000, 3), TestTicker.instant());
            PolicyInterpreter job = PolicyInterpreter.of(Policies.DEFAULT, shared);
            for (int i = 0; i < 3; i++) {
                assertThat(job.limit(AsyncPlan.of(i)).open().await().atMost(Duration.ofSeconds(5))).isEqualTo(Result.ok(i));
            }
            assertThat(shared.reserve(TestTicker.instant().nanoTime())).as("the burst is used up").isPositive();
        }

    }

    @Nested
    @DisplayName("validation")
    class Validation {

        @Test
        void badValuesAreRejectedNamingTheField() {
            assertThatThrownBy(() -> RateLimit.of(0, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rateLimit.permitsPerSecond must be a finite number > 0, got 0.0");
            assertThatThrownBy(() -> RateLimit.of(Double.NaN, 1)).hasMessageStartingWith("rateLimit.permitsPerSecond");
            assertThatThrownBy(() -> RateLimit.of(Double.POSITIVE_INFINITY, 1)).hasMessageStartingWith("rateLimit.permitsPerSecond");
            assertThatThrownBy(() -> RateLimit.of(5, 0)).hasMessage("rateLimit.burst must be >= 1, got 0");
            assertThat(RateLimit.DEFAULT).isEqualTo(RateLimit.of(10, 10));
        }
    }
}
