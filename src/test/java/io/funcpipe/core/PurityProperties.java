package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Building a description, and even opening it, runs nothing: effects happen only on subscription. */
@Label("description purity")
class PurityProperties {

    @Provide
    Arbitrary<List<PipelineStep>> pipelines() {
        return Arbitraries.of(PipelineStep.class).list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Result<Integer>>> items() {
        return ResultArbitraries.resultLists(10);
    }

    @Property(tries = 150)
    @Label("a pipeline performs no effect until its Multi is subscribed")
    void buildingAndOpeningRunNothing(@ForAll("pipelines") List<PipelineStep> steps,
                                      @ForAll("items") List<Result<Integer>> items) {
        Effects effects = new Effects();
        AsyncGen<Integer> gen = PipelineStep.applyAll(steps, effects.source(items), effects);
        Multi<Result<Integer>> opened = gen.open();
        AsyncGen<Integer> combined = AsyncGen.concat(gen, gen.take(2));
        AsyncGen<Integer> gathered = AsyncGen.gather(List.of(gen, combined), 2);
        Uni<List<Result<Integer>>> collecting = gathered.collectAll();

        assertThat(effects.none()).as("%s", effects).isTrue();

        List<Result<Integer>> out = opened.collect().asList().await().atMost(Await.LIMIT);

        assertThat(effects.opened).hasValue(1);
        assertThat(effects.produced).hasValue(items.size());
        assertThat(out.size()).isLessThanOrEqualTo(2 * items.size() * (1 << steps.size()));
        Await.until(() -> effects.released.get() == effects.acquired.get(), "every resource is released");
        assertThat(effects.opened).as("collectAll() was never subscribed").hasValue(1);
    }

    @Property(tries = 100)
    @Label("a plan performs no effect until its Uni is subscribed")
    void plansRunNothingUntilSubscribed(@ForAll("items") List<Result<Integer>> items) {
        Effects effects = new Effects();
        AsyncPlan<Integer> plan = AsyncPlan.<Integer>defer(() -> {
                    effects.opened.incrementAndGet();
                    return Uni.createFrom().item(items.isEmpty() ? Result.ok(0) : items.getFirst());
                })
                .map(x -> x + effects.calls.incrementAndGet())
                .flatMap(x -> AsyncPlan.fromCompletionStage(() -> {
                    effects.calls.incrementAndGet();
                    return CompletableFuture.completedFuture(x);
                }))
                .mapErr(e -> e.withStage("s" + effects.calls.incrementAndGet()))
                .recover(e -> effects.calls.incrementAndGet());
        Uni<Result<Integer>> opened = plan.open();
        AsyncGen<Integer> asGen = plan.toGen();

        assertThat(effects.none()).as("%s", effects).isTrue();

        assertThat(opened.await().atMost(Await.LIMIT)).isInstanceOf(Ok.class);
        assertThat(effects.opened).hasValue(1);
        assertThat(effects.calls.get()).isPositive();
        assertThat(effects.opened).as("toGen() was never subscribed").hasValue(1);
    }
}
