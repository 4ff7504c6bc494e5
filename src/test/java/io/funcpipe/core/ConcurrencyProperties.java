package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** {@code mapAsync} and {@code gather} never run more than their bound at once. */
@Label("bounded concurrency")
class ConcurrencyProperties {

    @Provide
    Arbitrary<List<Result<Integer>>> items() {
        return ResultArbitraries.resultLists(25);
    }

    @Property(tries = 60)
    @Label("mapAsync keeps at most `concurrency` steps in flight and emits in input order")
    void mapAsyncIsBounded(@ForAll("items") List<Result<Integer>> items,
                           @ForAll @IntRange(min = 1, max = 5) int concurrency) {
        InFlight inFlight = new InFlight();
        AsyncGen<Integer> gen = AsyncGen.fromResults(items).mapAsync(concurrency, x -> Uni.createFrom().item(x)
                .onItem().delayIt().by(Duration.ofMillis(1 + Math.floorMod(x, 4)))
                .onItem().transform(v -> Result.ok(v + 1))
                .onSubscription().invoke(inFlight::enter)
                .onTermination().invoke(inFlight::exit));

        List<Result<Integer>> out = Await.all(gen);

        assertThat(out).isEqualTo(items.stream().map(r -> r.map(x -> x + 1)).toList());
        assertThat(inFlight.max()).as("most steps in flight at once").isLessThanOrEqualTo(concurrency);
        assertThat(inFlight.started()).isEqualTo((int) items.stream().filter(Result::isOk).count());
        assertThat(inFlight.now()).isZero();
    }

    @Property(tries = 60)
    @Label("gather keeps at most `maxConcurrency` streams open and loses no item")
    void gatherIsBounded(@ForAll @Size(max = 8) List<@Size(max = 5) List<@IntRange(min = 0, max = 3) Integer>> delays,
                         @ForAll @IntRange(min = 1, max = 4) int maxConcurrency) {
        InFlight open = new InFlight();
        List<AsyncGen<Integer>> streams = new ArrayList<>();
        List<Result<Integer>> expected = new ArrayList<>();
        for (int s = 0; s < delays.size(); s++) {
            List<Integer> streamDelays = delays.get(s);
            int base = s * 100;
            streams.add(AsyncGen.defer(() -> Multi.createFrom().range(0, streamDelays.size())
                    .onItem().transformToUniAndConcatenate(i -> Uni.createFrom().item(Result.ok(base + i))
                            .onItem().delayIt().by(Duration.ofMillis(1 + streamDelays.get(i))))
                    .onSubscription().invoke(open::enter)
                    .onTermination().invoke(open::exit)));
            for (int i = 0; i < streamDelays.size(); i++) {
                expected.add(Result.ok(base + i));
            }
        }

        List<Result<Integer>> out = Await.all(AsyncGen.gather(streams, maxConcurrency));

        assertThat(out).containsExactlyInAnyOrderElementsOf(expected);
        for (int s = 0; s < delays.size(); s++) {
            int stream = s;
            assertThat(out.stream().filter(r -> r instanceof Ok<Integer>(Integer v) && v / 100 == stream).toList())
                    .as("stream %d keeps its order", s)
                    .isEqualTo(expected.stream().filter(r -> r instanceof Ok<Integer>(Integer v) && v / 100 == stream).toList());
        }
        assertThat(open.max()).as("most streams open at once").isLessThanOrEqualTo(maxConcurrency);
        assertThat(open.started()).isEqualTo(delays.size());
    }
}
