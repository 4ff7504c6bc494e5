package io.funcpipe.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.policy.Backpressure;
import io.funcpipe.core.policy.Fairness;
import io.funcpipe.core.policy.Overflow;
import io.funcpipe.core.policy.Policies;
import io.funcpipe.core.policy.RateLimit;
import io.funcpipe.core.policy.RetryPolicy;
import io.funcpipe.core.policy.TimeoutPolicy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

@DisplayName("PolicyJson")
class PolicyJsonTest {

    private final PolicyJson json = PolicyJson.create();

    @Provide
    Arbitrary<Policies> policies() {
        Arbitrary<Duration> durations = Arbitraries.longs().between(0, 10_000_000_000L).map(Duration::ofNanos);
        Arbitrary<Backpressure> backpressure = Combinators.combine(Arbitraries.integers().between(1, 100_000),
                Arbitraries.of(Overflow.class)).as(Backpressure::of);
        Arbitrary<RetryPolicy> retry = Combinators.combine(Arbitraries.integers().between(1, 20), durations, durations,
                        Arbitraries.doubles().between(0, 1), durations.filter(d -> !d.isZero()),
                        Arbitraries.subsetOf(ErrCode.values()))
                .as((attempts, a, b, jitter, expire, codes) -> new RetryPolicy(attempts,
                        a.compareTo(b) <= 0 ? a : b, a.compareTo(b) <= 0 ? b : a, jitter, expire, codes));
        Arbitrary<TimeoutPolicy> timeout = Combinators.combine(durations, durations).as(TimeoutPolicy::of);
        Arbitrary<RateLimit> rateLimit = Combinators.combine(Arbitraries.doubles().between(0.001, 1e6).ofScale(3),
                Arbitraries.integers().between(1, 10_000)).as(RateLimit::of).injectNull(0.2);
        Arbitrary<Fairness> fairness = Combinators.combine(Arbitraries.integers().between(1, 1000),
                Arbitraries.integers().between(1, 4096)).as(Fairness::new);
        return Combinators.combine(backpressure, retry, timeout, rateLimit, fairness).as(Policies::new);
    }

    @Nested
    @Group
    @DisplayName("round trip")
    class RoundTrip {

        @Property(tries = 300)
        void everyPolicyReadsBackUnchanged(@ForAll("policies") Policies policies) {
            assertThat(json.read(json.write(policies), Policies.class)).isEqualTo(policies);
            assertThat(json.read(json.write(policies.retry()), RetryPolicy.class)).isEqualTo(policies.retry());
            assertThat(json.read(json.write(policies.timeout()), TimeoutPolicy.class)).isEqualTo(policies.timeout());
            assertThat(json.read(json.write(policies.backpressure()), Backpressure.class)).isEqualTo(policies.backpressure());
            assertThat(json.read(json.write(policies.fairness()), Fairness.class)).isEqualTo(policies.fairness());
            if (policies.rateLimit() != null) {
                assertThat(json.read(json.write(policies.rateLimit()), RateLimit.class)).isEqualTo(policies.rateLimit());
            }
        }

        @Test
        void durationsAreWrittenAsIsoAndReadInFriendlierFormsToo() {
            assertThat(json.write(TimeoutPolicy.DEFAULT)).isEqualTo("{\"perItem\":\"PT30S\",\"perStream\":\"PT0S\"}");
            assertThat(json.read("{\"perItem\": \"250ms\", \"perStream\": 1500}", TimeoutPolicy.class))
                    .isEqualTo(TimeoutPolicy.of(Duration.ofMillis(250), Duration.ofMillis(1500)));
            assertThat(json.read("{\"perItem\": \"2s\", \"perStream\": \"5m\"}", TimeoutPolicy.class))
                    .isEqualTo(TimeoutPolicy.of(Duration.ofSeconds(2), Duration.ofMinutes(5)));
        }

        @Test
        void missingFieldsTakeTheirDefaults() {
            assertThat(json.read("{}", Policies.class)).isEqualTo(Policies.DEFAULT);
            assertThat(json.read("{\"retry\": {\"maxAttempts\": 5}, \"rateLimit\": {\"permitsPerSecond\": 2.5}}", Policies.class))
                    .isEqualTo(Policies.DEFAULT.withRetry(RetryPolicy.DEFAULT.atMost(5)).withRateLimit(RateLimit.of(2.5, 10)));
        }

        @Test
        void yamlConfigReadsTheSame() {
            String yaml = """
                    backpressure:
                      bufferSize: 64
                      overflow: DROP_OLDEST
                    retry:
                      maxAttempts: 4
                      initialBackoff: 200ms
                      retryOn: [TIMEOUT, EMBED_FAILED]
                    rateLimit:
                      permitsPerSecond: 20
                      burst: 5
                    fairness:
                      weight: 3
                    """;
            assertThat(json.readYaml(yaml, Policies.class)).isEqualTo(Policies.DEFAULT
                    .withBackpressure(Backpressure.of(64, Overflow.DROP_OLDEST))
                    .withRetry(RetryPolicy.DEFAULT.atMost(4).withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                            .withRetryOn(EnumSet.of(ErrCode.TIMEOUT, ErrCode.EMBED_FAILED)))
                    .withRateLimit(RateLimit.of(20, 5))
                    .withFairness(Fairness.of(3)));
        }
    }

    @Nested
    @DisplayName("bad values")
    class BadValues {

        private void assertRejected(String text, String message) {
            assertThatThrownBy(() -> json.read(text, Policies.class))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
        }

        @Test
        void outOfRangeValuesNameTheField() {
            assertRejected("{\"retry\": {\"maxAttempts\": 0}}", "retry.maxAttempts must be >= 1, got 0");
            assertRejected("{\"retry\": {\"jitter\": 2}}", "retry.jitter must be between 0.0 and 1.0, got 2.0");
            assertRejected("{\"backpressure\": {\"bufferSize\": -4}}", "backpressure.bufferSize must be >= 1, got -4");
            assertRejected("{\"rateLimit\": {\"permitsPerSecond\": 0}}", "rateLimit.permitsPerSecond must be a finite number > 0");
            assertRejected("{\"fairness\": {\"weight\": 0}}", "fairness.weight must be >= 1, got 0");
            assertRejected("{\"timeout\": {\"perItem\": \"-PT1S\"}}", "timeout.perItem must be >= 0");
        }

        @Test
        void unknownCodesAndChoicesNameTheFieldAndTheAcceptedValues() {
            assertRejected("{\"retry\": {\"retryOn\": [\"TIMEOUT\", \"SOMETIMES\"]}}",
                    "retry.retryOn[1]: \"SOMETIMES\" is not one of [EXCEPTION, NULL_RESULT,");
            assertRejected("{\"backpressure\": {\"overflow\": \"SPILL\"}}",
                    "backpressure.overflow: \"SPILL\" is not one of [WAIT, DROP_OLDEST, FAIL]");
        }

        @Test
        void unknownFieldsWrongTypesAndBadDurationsNameTheField() {
            assertRejected("{\"retry\": {\"maxAtempts\": 3}}", "retry.maxAtempts: unknown field; known fields are");
            assertRejected("{\"retry\": {\"maxAttempts\": \"three\"}}", "retry.maxAttempts: \"three\" is not a valid");
            assertRejected("{\"timeout\": {\"perItem\": \"soon\"}}", "timeout.perItem: \"soon\" is not a valid Duration");
            assertRejected("{\"retry\": {\"maxAttempts\": null}}", "retry.maxAttempts");
            assertRejected("{\"retry\": null}", "retry must be set, got null");
            assertThat(json.read("{\"rateLimit\": null}", Policies.class)).isEqualTo(Policies.DEFAULT);
            assertRejected("{\"retry\": ", "not valid JSON at line 1");
            assertThatThrownBy(() -> json.read("{\"maxAttempts\": 0}", RetryPolicy.class))
                    .hasMessage("retry.maxAttempts must be >= 1, got 0");
            assertThatThrownBy(() -> json.read("{\"retryOn\": [\"NEVER\"]}", RetryPolicy.class))
                    .hasMessageStartingWith("retry.retryOn[0]: \"NEVER\" is not one of");
        }
    }
}
