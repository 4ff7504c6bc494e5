package io.funcpipe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Ok;
import io.smallrye.mutiny.Multi;

/**
 * 1,000,000 items through a chain of five {@code map}s and a chain of three {@code flatMap}s (one
 * inner item each), in FuncPipe's {@link AsyncGen}, in raw Mutiny {@link Multi}, and in a plain
 * loop, in the same run. Each benchmark returns the sum of the values it saw (JMH consumes it),
 * and the FuncPipe variants fail on any item that is not {@code Ok}.
 *
 * <p>Run with {@code mvn -Pbench test-compile exec:exec} (JMH options in {@code -Djmh.args=...}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChainBenchmark {

    static final int ITEMS = 1_000_000;

    private static final Function<Integer, Integer> F1 = x -> x + 1;
    private static final Function<Integer, Integer> F2 = x -> x * 3;
    private static final Function<Integer, Integer> F3 = x -> x - 7;
    private static final Function<Integer, Integer> F4 = x -> x ^ 0x55;
    private static final Function<Integer, Integer> F5 = x -> x / 2;

    List<Integer> items;

    @Setup
    public void setup() {
        items = items(ITEMS);
    }

    static List<Integer> items(int count) {
        List<Integer> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(i);
        }
        return List.copyOf(list);
    }

    // ---------------------------------------------------------------- map chains

    @Benchmark
    public long mapLoop() {
        long sum = 0;
        for (Integer x : items) {
            sum += F5.apply(F4.apply(F3.apply(F2.apply(F1.apply(x)))));
        }
        return sum;
    }

    @Benchmark
    public long mapMutiny(Blackhole bh) {
        Multi<Integer> chain = Multi.createFrom().iterable(items)
                .onItem().transform(F1).onItem().transform(F2).onItem().transform(F3)
                .onItem().transform(F4).onItem().transform(F5);
        return sumOfValues(chain, bh);
    }

    @Benchmark
    public long mapAsyncGen(Blackhole bh) {
        AsyncGen<Integer> chain = AsyncGen.fromIterable(items).map(F1).map(F2).map(F3).map(F4).map(F5);
        return sumOfOks(chain, bh);
    }

    // ---------------------------------------------------------------- flatMap chains

    @Benchmark
    public long flatMapLoop() {
        long sum = 0;
        for (Integer x : items) {
            for (Integer a : List.of(F1.apply(x))) {
                for (Integer b : List.of(F2.apply(a))) {
                    for (Integer c : List.of(F3.apply(b))) {
                        sum += c;
                    }
                }
            }
        }
        return sum;
    }

    @Benchmark
    public long flatMapMutiny(Blackhole bh) {
        Multi<Integer> chain = Multi.createFrom().iterable(items)
                .onItem().transformToMultiAndConcatenate(x -> Multi.createFrom().item(F1.apply(x)))
                .onItem().transformToMultiAndConcatenate(x -> Multi.createFrom().item(F2.apply(x)))
                .onItem().transformToMultiAndConcatenate(x -> Multi.createFrom().item(F3.apply(x)));
        return sumOfValues(chain, bh);
    }

    @Benchmark
    public long flatMapAsyncGen(Blackhole bh) {
        AsyncGen<Integer> chain = AsyncGen.fromIterable(items)
                .flatMap(x -> AsyncGen.of(F1.apply(x)))
                .flatMap(x -> AsyncGen.of(F2.apply(x)))
                .flatMap(x -> AsyncGen.of(F3.apply(x)));
        return sumOfOks(chain, bh);
    }

    // ---------------------------------------------------------------- consumers

    private static long sumOfValues(Multi<Integer> multi, Blackhole bh) {
        long[] sum = {0};
        multi.subscribe().with(x -> {
            bh.consume(x);
            sum[0] += x;
        });
        return sum[0];
    }

    private static long sumOfOks(AsyncGen<Integer> gen, Blackhole bh) {
        long[] sum = {0};
        gen.open().subscribe().with(r -> {
            bh.consume(r);
            if (r instanceof Ok<Integer>(Integer x)) {
                sum[0] += x;
            } else {
                throw new IllegalStateException("unexpected " + r);
            }
        });
        return sum[0];
    }
}
