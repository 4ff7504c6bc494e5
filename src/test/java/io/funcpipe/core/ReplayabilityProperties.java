package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Opening one description twice gives two independent runs with equal results. */
@Label("replayability")
class ReplayabilityProperties {

    @Provide
    Arbitrary<List<PipelineStep>> pipelines() {
        return Arbitraries.of(PipelineStep.class).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Result<Integer>>> items() {
        return ResultArbitraries.resultLists(10);
    }

    @Property(tries = 150)
    @Label("two runs give equal results, each with its own resources")
    void twoRunsAreEqualAndIndependent(@ForAll("pipelines") List<PipelineStep> steps,
                                       @ForAll("items") List<Result<Integer>> items) {
        Effects effects = new Effects();
        AsyncGen<Integer> gen = effects.using(PipelineStep.applyAll(steps, effects.source(items), effects));

        List<Result<Integer>> first = Await.all(gen);
        Await.until(() -> effects.released.get() == effects.acquired.get(), "the first run released everything");
        int acquiredByOneRun = effects.acquired.get();
        int callsByOneRun = effects.calls.get();
        List<Result<Integer>> second = Await.all(gen);
        Await.until(() -> effects.released.get() == effects.acquired.get(), "the second run released everything");

        assertThat(second).isEqualTo(first);
        assertThat(effects.opened).hasValue(2);
        assertThat(effects.produced).hasValue(2 * items.size());
        assertThat(effects.calls).hasValue(2 * callsByOneRun);
        assertThat(effects.acquired).hasValue(2 * acquiredByOneRun);
        assertThat(effects.resources).as("every run acquires fresh resources").hasSize(2 * acquiredByOneRun);
    }

    @Property(tries = 100)
    @Label("two concurrent runs do not share state")
    void concurrentRunsAreIndependent(@ForAll("pipelines") List<PipelineStep> steps,
                                      @ForAll("items") List<Result<Integer>> items) {
        Effects effects = new Effects();
        AsyncGen<Integer> gen = PipelineStep.applyAll(steps, effects.source(items), effects);
        List<Result<Integer>> alone = Await.all(gen);

        List<Result<Integer>> both = Await.all(AsyncGen.gather(List.of(gen, gen), 2));

        assertThat(both).hasSize(2 * alone.size());
        assertThat(both).containsExactlyInAnyOrderElementsOf(concat(alone, alone));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
