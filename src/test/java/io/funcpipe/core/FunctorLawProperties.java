package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

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
}
