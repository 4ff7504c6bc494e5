package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/**
 * Items are produced on demand: after n items have been taken, an endless source has produced at
 * most n plus the prefetch that {@link AsyncGen}'s javadoc documents for each step, and nothing
 * more once the subscriber cancels.
 */
@Label("laziness")
class LazinessProperties {

    @Provide
    Arbitrary<List<PipelineStep>> pipelines() {
        return Arbitraries.of(PipelineStep.class).list().ofMaxSize(6);
    }

    @Property(tries = 150)
    @Label("requesting n then cancelling produces at most n + prefetch upstream")
    void requestThenCancel(@ForAll("pipelines") List<PipelineStep> steps,
                           @ForAll @IntRange(min = 1, max = 20) int n) {
        Effects effects = new Effects();
        AsyncGen<Integer> gen = PipelineStep.applyAll(steps, effects.endless(), effects);

        AssertSubscriber<Result<Integer>> subscriber = gen.open().subscribe().withSubscriber(AssertSubscriber.create(n));
        subscriber.awaitItems(n, Await.LIMIT);
        subscriber.cancel();
        int producedAtCancel = effects.produced.get();
        Await.until(() -> effects.released.get() == effects.acquired.get(), "every resource is released");

        int bound = n + steps.stream().mapToInt(PipelineStep::prefetch).sum();
        assertThat(subscriber.getItems()).hasSize(n);
        assertThat(producedAtCancel).as("produced for %d items through %s", n, steps).isLessThanOrEqualTo(bound);
        assertThat(effects.produced.get()).as("produced after cancel").isEqualTo(producedAtCancel);
    }

    @Property(tries = 150)
    @Label("take(n) produces at most n + prefetch upstream")
    void take(@ForAll("pipelines") List<PipelineStep> steps,
              @ForAll @IntRange(min = 0, max = 20) int n) {
        Effects effects = new Effects();
        AsyncGen<Integer> gen = PipelineStep.applyAll(steps, effects.endless(), effects).take(n);

        List<Result<Integer>> out = Await.all(gen);
        Await.until(() -> effects.released.get() == effects.acquired.get(), "every resource is released");

        int bound = n + steps.stream().mapToInt(PipelineStep::prefetch).sum();
        assertThat(out).hasSize(n);
        assertThat(effects.produced.get()).as("produced for %d items through %s", n, steps).isLessThanOrEqualTo(bound);
    }
}
