package io.funcpipe.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

@DisplayName("WeightedGate")
class WeightedGateTest {

    /**
     * Calls whose ends the test decides. Each call records its job when it starts (that is, when
     * the gate granted it a permit) and stays active until the test completes or fails it, or it is
     * cancelled.
     */
    static final class Calls {
        final List<String> started = new ArrayList<>();
        final List<Active> active = new ArrayList<>();
        int cancelled;

        record Active(String job, UniEmitter<? super Result<String>> emitter) {
        }

        AsyncPlan<String> of(String job) {
            return AsyncPlan.defer(() -> Uni.createFrom().<Result<String>>emitter(emitter -> {
                started.add(job);
                Active call = new Active(job, emitter);
                active.add(call);
                emitter.onTermination(() -> active.remove(call));
            }).onCancellation().invoke(() -> cancelled++));
        }

        void completeOldest() {
            Active call = active.getFirst();
            call.emitter().complete(Result.ok(call.job()));
        }

        void complete(int i) {
            Active call = active.get(i);
            call.emitter().complete(Result.ok(call.job()));
        }

        void fail(int i) {
            active.get(i).emitter().fail(new IllegalStateException("boom"));
        }
    }

    private static UniAssertSubscriber<Result<String>> open(WeightedGate gate, String job, int weight, Calls calls) {
        return gate.guard(job, weight, calls.of(job)).open().subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    private static Map<String, Integer> countByJob(List<String> jobs) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jobs.forEach(job -> counts.merge(job, 1, Integer::sum));
        return counts;
    }

    @Nested
    @Group
    @DisplayName("weighted shares")
    class Shares {

        @Property(tries = 60)
        void grantsFollowTheWeightsWhileEveryJobWaits(@ForAll @Size(min = 2, max = 4) List<@IntRange(min = 1, max = 5) Integer> weights,
                                                     @ForAll @IntRange(min = 1, max = 3) int capacity) {
            WeightedGate gate = WeightedGate.of(capacity);
            Calls calls = new Calls();
            int total = weights.stream().mapToInt(Integer::intValue).sum();
            int grants = 100 * total;
            for (int j = 0; j < weights.size(); j++) {
                for (int k = 0; k < grants; k++) {
                    open(gate, "job" + j, weights.get(j), calls);
                }
            }
            while (calls.started.size() < grants) {
                calls.completeOldest();
            }

            Map<String, Integer> counts = countByJob(calls.started.subList(0, grants));
            for (int j = 0; j < weights.size(); j++) {
                double ideal = (double) grants * weights.get(j) / total;
                assertThat((double) counts.getOrDefault("job" + j, 0))
                        .as("job%d of weight %d in %s, capacity %d: grants among the first %d", j, weights.get(j), weights,
                                capacity, grants)
                        .isBetween(ideal - 0.05 * ideal - capacity, ideal + 0.05 * ideal + capacity);
            }
            assertThat(gate.inUse()).isEqualTo(capacity);
        }

        @Test
        @DisplayName("a small job that arrives beside a large backlog is served at once, alternately")
        void aSmallJobIsNotStarved() {
            WeightedGate gate = WeightedGate.of(1);
            Calls calls = new Calls();
            for (int k = 0; k < 1000; k++) {
                open(gate, "large", 1, calls);
            }
            for (int k = 0; k < 10; k++) {
                calls.completeOldest();
            }
            for (int k = 0; k < 5; k++) {
                open(gate, "small", 1, calls);
            }
            int before = calls.started.size();
            for (int k = 0; k < 10; k++) {
                calls.completeOldest();
            }

            assertThat(calls.started.subList(before, before + 10))
                    .containsExactly("small", "large", "small", "large", "small", "large", "small", "large", "small", "large");
            assertThat(gate.share("small").granted()).isEqualTo(5);
        }

        @Test
        @DisplayName("a newcomer gets its share, not a catch-up burst for the time it was away")
        void aNewcomerBanksNoCredit() {
            WeightedGate gate = WeightedGate.of(1);
            Calls calls = new Calls();
            for (int k = 0; k < 1000; k++) {
                open(gate, "a", 1, calls);
            }
            for (int k = 0; k < 500; k++) {
                calls.completeOldest();
            }
            for (int k = 0; k < 1000; k++) {
                open(gate, "b", 1, calls);
            }
            int before = calls.started.size();
            for (int k = 0; k < 100; k++) {
                calls.completeOldest();
            }

            assertThat(countByJob(calls.started.subList(before, before + 100)).get("b")).isBetween(49, 51);
        }

        @Test
        @DisplayName("weights 3 and 1 give three grants to one for each grant to the other")
        void threeToOne() {
            WeightedGate gate = WeightedGate.of(1);
            Calls calls = new Calls();
            UniAssertSubscriber<Result<String>> first = open(gate, "holder", 1, calls);
            for (int k = 0; k < 40; k++) {
                open(gate, "heavy", 3, calls);
                open(gate, "light", 1, calls);
            }
            calls.completeOldest();
            first.assertCompleted();
            for (int k = 0; k < 39; k++) {
                calls.completeOldest();
            }

            Map<String, Integer> counts = countByJob(calls.started.subList(1, 41));
            assertThat(counts.get("heavy")).isEqualTo(30);
            assertThat(counts.get("light")).isEqualTo(10);
        }
    }

    @Nested
    @DisplayName("permits")
    class Permits {

        @Test
        @DisplayName("guard builds a description: nothing runs until it is opened, and each opening takes its own permit")
        void guardIsADescription() {
            WeightedGate gate = WeightedGate.of(2);
            Calls calls = new Calls();
            AsyncPlan<String> guarded = gate.guard("job", 1, calls.of("job"));
            assertThat(calls.started).isEmpty();
            assertThat(gate.waiting()).isZero();

            guarded.open().subscribe().withSubscriber(UniAssertSubscriber.create());
            guarded.open().subscribe().withSubscriber(UniAssertSubscriber.create());
            guarded.open().subscribe().withSubscriber(UniAssertSubscriber.create());

            assertThat(calls.started).hasSize(2);
            assertThat(gate.inUse()).isEqualTo(2);
            assertThat(gate.share("job")).isEqualTo(new WeightedGate.JobShare(1, 2, 1, 2));
        }

        @Test
        @DisplayName("a call's result, Ok or Err, is the guarded result, and its end frees the permit")
        void resultsPassThrough() {
            WeightedGate gate = WeightedGate.of(1);
            UniAssertSubscriber<Result<Integer>> ok = gate.guard("job", 1, AsyncPlan.of(7)).open().subscribe()
                    .withSubscriber(UniAssertSubscriber.create());
            UniAssertSubscriber<Result<Integer>> err = gate.guard("job", 1, AsyncPlan.<Integer>failed(
                            io.funcpipe.core.ErrInfo.of(ErrCode.EMBED_FAILED, "no"))).open().subscribe()
                    .withSubscriber(UniAssertSubscriber.create());

            assertThat(ok.assertCompleted().getItem()).isEqualTo(Result.ok(7));
            assertThat(err.assertCompleted().getItem()).isInstanceOfSatisfying(Err.class,
                    e -> assertThat(e.error().code()).isEqualTo(ErrCode.EMBED_FAILED));
            assertThat(gate.inUse()).isZero();
        }

        @Test
        @DisplayName("cancelling a waiting call takes it out of the queue: it never runs")
        void cancelWhileWaiting() {
            WeightedGate gate = WeightedGate.of(1);
            Calls calls = new Calls();
            open(gate, "a", 1, calls);
            UniAssertSubscriber<Result<String>> waiting = open(gate, "b", 1, calls);
            assertThat(gate.waiting()).isEqualTo(1);

            waiting.cancel();
            assertThat(gate.waiting()).isZero();
            calls.completeOldest();

            assertThat(calls.started).containsExactly("a");
            assertThat(gate.inUse()).isZero();
        }

        @Test
        @DisplayName("cancelling a running call cancels it and gives its permit to the next waiting call")
        void cancelWhileRunning() {
            WeightedGate gate = WeightedGate.of(1);
            Calls calls = new Calls();
            UniAssertSubscriber<Result<String>> running = open(gate, "a", 1, calls);
            UniAssertSubscriber<Result<String>> next = open(gate, "b", 1, calls);

            running.cancel();

            assertThat(calls.cancelled).isEqualTo(1);
            assertThat(calls.started).containsExactly("a", "b");
            assertThat(gate.inUse()).isEqualTo(1);
            calls.completeOldest();
            next.assertCompleted();
            assertThat(gate.inUse()).isZero();
        }

        @Test
        @DisplayName("a failed call fails the guarded plan's stream as an Err and frees the permit")
        void failureFreesThePermit() {
            WeightedGate gate = WeightedGate.of(1);
            Calls calls = new Calls();
            UniAssertSubscriber<Result<String>> failing = open(gate, "a", 1, calls);
            open(gate, "b", 1, calls);

            calls.fail(0);

            assertThat(failing.assertCompleted().getItem()).isInstanceOf(Err.class);
            assertThat(calls.started).containsExactly("a", "b");
            assertThat(gate.inUse()).isEqualTo(1);
        }

        @Test
        @DisplayName("leave ends the job's waiting calls with UNAVAILABLE, lets its running call finish, and forgets it")
        void leave() {
            WeightedGate gate = WeightedGate.of(1);
            Calls calls = new Calls();
            UniAssertSubscriber<Result<String>> running = open(gate, "a", 1, calls);
            UniAssertSubscriber<Result<String>> waiting = open(gate, "a", 1, calls);
            UniAssertSubscriber<Result<String>> other = open(gate, "b", 1, calls);

            gate.leave("a");

            assertThat(waiting.assertCompleted().getItem()).isInstanceOfSatisfying(Err.class,
                    e -> assertThat(e.error().code()).isEqualTo(ErrCode.UNAVAILABLE));
            assertThat(gate.share("a")).isEqualTo(new WeightedGate.JobShare(0, 0, 0, 0));
            running.assertNotTerminated();
            calls.completeOldest();
            running.assertCompleted();
            assertThat(calls.started).containsExactly("a", "b");
            calls.completeOldest();
            other.assertCompleted();
            assertThat(gate.inUse()).isZero();
            assertThat(gate.waiting()).isZero();
        }

        @Test
        @DisplayName("a long queue of calls that end at once is drained in a loop, not by recursion")
        void longQueueOfSynchronousCalls() {
            WeightedGate gate = WeightedGate.of(1);
            Calls calls = new Calls();
            open(gate, "holder", 1, calls);
            List<UniAssertSubscriber<Result<Integer>>> queued = new ArrayList<>();
            for (int k = 0; k < 50_000; k++) {
                queued.add(gate.guard("job" + (k % 3), 1 + k % 3, AsyncPlan.of(k)).open().subscribe()
                        .withSubscriber(UniAssertSubscriber.create()));
            }

            calls.completeOldest();

            assertThat(queued).allSatisfy(s -> assertThat(s.assertCompleted().getItem()).isInstanceOf(Ok.class));
            assertThat(gate.inUse()).isZero();
            assertThat(gate.waiting()).isZero();
        }

        @Test
        @DisplayName("arguments are checked when the plan is built")
        void arguments() {
            assertThatThrownBy(() -> WeightedGate.of(0)).hasMessage("capacity must be >= 1, got 0");
            WeightedGate gate = WeightedGate.of(1);
            assertThatThrownBy(() -> gate.guard("job", 0, AsyncPlan.of(1))).hasMessage("weight must be >= 1, got 0");
            assertThatThrownBy(() -> gate.guard(null, 1, AsyncPlan.of(1))).hasMessageContaining("jobId");
        }
    }

    @Nested
    @Group
    @DisplayName("no permit leaks")
    class NoLeaks {

        /**
         * Random interleavings of opening, completing, failing and cancelling calls of three jobs, and
         * jobs leaving: after each step, the permits in use are exactly the calls running, never more
         * than the capacity, and no permit stays free while a call waits; at the end everything is
         * given back.
         */
        @Property(tries = 300)
        void permitsInUseAreTheRunningCalls(@ForAll @Size(max = 120) List<@IntRange(min = 0, max = 999) Integer> steps,
                                            @ForAll @IntRange(min = 1, max = 3) int capacity) {
            WeightedGate gate = WeightedGate.of(capacity);
            Calls calls = new Calls();
            List<UniAssertSubscriber<Result<String>>> subscribers = new ArrayList<>();
            for (int step : steps) {
                int op = step % 6;
                int arg = step / 6;
                switch (op) {
                    case 0, 1 -> subscribers.add(open(gate, "job" + arg % 3, 1 + arg % 3, calls));
                    case 2 -> {
                        if (!calls.active.isEmpty()) {
                            calls.complete(arg % calls.active.size());
                        }
                    }
                    case 3 -> {
                        if (!calls.active.isEmpty()) {
                            calls.fail(arg % calls.active.size());
                        }
                    }
                    case 4 -> {
                        if (!subscribers.isEmpty()) {
                            subscribers.get(arg % subscribers.size()).cancel();
                        }
                    }
                    default -> gate.leave("job" + arg % 3);
                }
                assertThat(gate.inUse()).as("permits in use = calls running").isEqualTo(calls.active.size())
                        .isLessThanOrEqualTo(capacity);
                if (gate.waiting() > 0) {
                    assertThat(gate.inUse()).as("no free permit while a call waits").isEqualTo(capacity);
                }
            }
            subscribers.forEach(UniAssertSubscriber::cancel);

            assertThat(gate.inUse()).isZero();
            assertThat(gate.waiting()).isZero();
            assertThat(calls.active).isEmpty();
            assertThat(calls.cancelled + countEnded(subscribers)).as("every started call ended or was cancelled")
                    .isGreaterThanOrEqualTo(calls.started.size());
        }

        private static long countEnded(List<UniAssertSubscriber<Result<String>>> subscribers) {
            return subscribers.stream().filter(s -> s.getItem() != null || s.getFailure() != null).count();
        }
    }
}
