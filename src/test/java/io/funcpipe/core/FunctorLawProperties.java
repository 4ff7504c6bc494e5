package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The functor laws of {@code map}, over streams and results that include {@code Err} items. */
@Label("map obeys the functor laws")
class FunctorLawProperties {

    @Provide
    Arbitrary<AsyncGen<Integer>> streams() {
        return ResultArbitraries.streams();
    }

    @Provide
    Arbitrary<Result<Integer>> results() {
        return ResultArbitraries.results();
    }

    @Provide
    Arbitrary<Function<Integer, Integer>> functions() {
        return ResultArbitraries.intFunctions();
    }

    @Property(tries = 200)
    @Label("identity: m.map(x -> x) == m")
    void identity(@ForAll("streams") AsyncGen<Integer> m) {
        assertThat(Await.all(m.map(x -> x))).isEqualTo(Await.all(m));
    }

    @Property(tries = 200)
    @Label("composition: m.map(f).map(g) == m.map(g . f)")
    void composition(@ForAll("streams") AsyncGen<Integer> m,
                     @ForAll("functions") Function<Integer, Integer> f,
                     @ForAll("functions") Function<Integer, Integer> g) {
        assertThat(Await.all(m.map(f).map(g))).isEqualTo(Await.all(m.map(f.andThen(g))));
    }

    @Property(tries = 200)
    @Label("Result identity")
    void resultIdentity(@ForAll("results") Result<Integer> r) {
        assertThat(r.map(x -> x)).isEqualTo(r);
    }

    @Property(tries = 200)
    @Label("Result composition")
    void resultComposition(@ForAll("results") Result<Integer> r,
                           @ForAll("functions") Function<Integer, Integer> f,
                           @ForAll("functions") Function<Integer, Integer> g) {
        assertThat(r.map(f).map(g)).isEqualTo(r.map(f.andThen(g)));
    }

    @Property(tries = 200)
    @Label("a chain of maps, some throwing or returning null, equals mapping each Result step by step")
    void chainEqualsStepByStep(@ForAll("items") List<Result<Integer>> items,
                               @ForAll("partialFunctions") List<Function<Integer, Integer>> steps) {
        AsyncGen<Integer> gen = AsyncGen.fromResults(items);
        for (Function<Integer, Integer> step : steps) {
            gen = gen.map(step);
        }
        List<Result<Integer>> expected = items.stream().map(r -> {
            Result<Integer> out = r;
            for (Function<Integer, Integer> step : steps) {
                out = out.map(step);
            }
            return out;
        }).toList();

        assertThat(Await.all(gen)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<List<Result<Integer>>> items() {
        return ResultArbitraries.resultLists(12);
    }

    /** Functions that sometimes throw (x divisible by 5) or return null (x divisible by 7). */
    @Provide
    Arbitrary<List<Function<Integer, Integer>>> partialFunctions() {
        return ResultArbitraries.intFunctions().map(f -> (Function<Integer, Integer>) x -> {
            if (x % 5 == 0) {
                throw new IllegalArgumentException("x=" + x);
            }
            return x % 7 == 0 ? null : f.apply(x);
        }).list().ofMaxSize(6);
    }
}
