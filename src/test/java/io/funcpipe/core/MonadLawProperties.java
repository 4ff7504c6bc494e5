package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import io.smallrye.mutiny.Uni;

/** The monad laws of {@code flatMap} on the {@code Ok} path, over streams that include {@code Err} items. */
@Label("flatMap obeys the monad laws")
class MonadLawProperties {

    @Provide
    Arbitrary<AsyncGen<Integer>> streams() {
        return ResultArbitraries.streams();
    }

    @Provide
    Arbitrary<Function<Integer, AsyncGen<Integer>>> functions() {
        return ResultArbitraries.streamFunctions();
    }

    @Group
    @Label("AsyncGen")
    class OfStreams {

        @Property(tries = 200)
        @Label("left identity: of(a).flatMap(f) == f(a)")
        void leftIdentity(@ForAll @IntRange(min = -1000, max = 1000) int a,
                          @ForAll("functions") Function<Integer, AsyncGen<Integer>> f) {
            assertThat(Await.all(AsyncGen.of(a).flatMap(f))).isEqualTo(Await.all(f.apply(a)));
        }

        @Property(tries = 200)
        @Label("right identity: m.flatMap(of) == m")
        void rightIdentity(@ForAll("streams") AsyncGen<Integer> m) {
            assertThat(Await.all(m.flatMap(AsyncGen::of))).isEqualTo(Await.all(m));
        }

        @Property(tries = 200)
        @Label("associativity: m.flatMap(f).flatMap(g) == m.flatMap(x -> f(x).flatMap(g))")
        void associativity(@ForAll("streams") AsyncGen<Integer> m,
                           @ForAll("functions") Function<Integer, AsyncGen<Integer>> f,
                           @ForAll("functions") Function<Integer, AsyncGen<Integer>> g) {
            assertThat(Await.all(m.flatMap(f).flatMap(g)))
                    .isEqualTo(Await.all(m.flatMap(x -> f.apply(x).flatMap(g))));
        }
    }

    @Group
    @Label("AsyncPlan")
    class OfPlans {

        @Provide
        Arbitrary<AsyncPlan<Integer>> plans() {
            return ResultArbitraries.results().map(r -> AsyncPlan.defer(() -> Uni.createFrom().item(r)));
        }

        @Provide
        Arbitrary<Function<Integer, AsyncPlan<Integer>>> planFunctions() {
            return ResultArbitraries.intFunctions().map(h -> x -> x % 5 == 0
                    ? AsyncPlan.failed(ErrInfo.of(ErrCode.INVALID_INPUT, "x=" + x))
                    : AsyncPlan.of(h.apply(x)));
        }

        @Property(tries = 200)
        @Label("left identity")
        void leftIdentity(@ForAll @IntRange(min = -1000, max = 1000) int a,
                          @ForAll("planFunctions") Function<Integer, AsyncPlan<Integer>> f) {
            assertThat(Await.one(AsyncPlan.of(a).flatMap(f))).isEqualTo(Await.one(f.apply(a)));
        }

        @Property(tries = 200)
        @Label("right identity")
        void rightIdentity(@ForAll("plans") AsyncPlan<Integer> m) {
            assertThat(Await.one(m.flatMap(AsyncPlan::of))).isEqualTo(Await.one(m));
        }

        @Property(tries = 200)
        @Label("associativity")
        void associativity(@ForAll("plans") AsyncPlan<Integer> m,
                           @ForAll("planFunctions") Function<Integer, AsyncPlan<Integer>> f,
                           @ForAll("planFunctions") Function<Integer, AsyncPlan<Integer>> g) {
            assertThat(Await.one(m.flatMap(f).flatMap(g))).isEqualTo(Await.one(m.flatMap(x -> f.apply(x).flatMap(g))));
        }
    }

    @Group
    @Label("Result")
    class OfResults {

        @Provide
        Arbitrary<Result<Integer>> results() {
            return ResultArbitraries.results();
        }

        @Provide
        Arbitrary<Function<Integer, Result<Integer>>> resultFunctions() {
            return ResultArbitraries.intFunctions().map(h -> x -> x % 5 == 0
                    ? Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, "x=" + x))
                    : Result.ok(h.apply(x)));
        }

        @Property(tries = 200)
        @Label("left identity")
        void leftIdentity(@ForAll @IntRange(min = -1000, max = 1000) int a,
                          @ForAll("resultFunctions") Function<Integer, Result<Integer>> f) {
            assertThat(Result.ok(a).flatMap(f)).isEqualTo(f.apply(a));
        }

        @Property(tries = 200)
        @Label("right identity")
        void rightIdentity(@ForAll("results") Result<Integer> m) {
            assertThat(m.flatMap(Result::ok)).isEqualTo(m);
        }

        @Property(tries = 200)
        @Label("associativity")
        void associativity(@ForAll("results") Result<Integer> m,
                           @ForAll("resultFunctions") Function<Integer, Result<Integer>> f,
                           @ForAll("resultFunctions") Function<Integer, Result<Integer>> g) {
            assertThat(m.flatMap(f).flatMap(g)).isEqualTo(m.flatMap(x -> f.apply(x).flatMap(g)));
        }
    }
}
