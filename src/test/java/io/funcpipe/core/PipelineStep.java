package io.funcpipe.core;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * One step of a generated test pipeline, with every user function counted in {@link Effects}.
 * {@link #prefetch()} is how many items the step may ask upstream for beyond what downstream asked
 * (as documented on {@link AsyncGen}).
 */
enum PipelineStep {
    MAP(0) {
        @Override
        AsyncGen<Integer> apply(AsyncGen<Integer> gen, Effects effects) {
            return gen.map(x -> counted(effects, x + 1));
        }
    },
    FLAT_MAP(0) {
        @Override
        AsyncGen<Integer> apply(AsyncGen<Integer> gen, Effects effects) {
            return gen.flatMap(x -> counted(effects, AsyncGen.fromIterable(List.of(x, -x))));
        }
    },
    MAP_ASYNC(3) {
        @Override
        AsyncGen<Integer> apply(AsyncGen<Integer> gen, Effects effects) {
            return gen.mapAsync(3, x -> Uni.createFrom().item(() -> counted(effects, Result.ok(x * 2))));
        }
    },
    MAP_RESULT(0) {
        @Override
        AsyncGen<Integer> apply(AsyncGen<Integer> gen, Effects effects) {
            return gen.mapResult(x -> counted(effects, x % 4 == 0
                    ? Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, "x=" + x)) : Result.ok(x)));
        }
    },
    PEEK(0) {
        @Override
        AsyncGen<Integer> apply(AsyncGen<Integer> gen, Effects effects) {
            return gen.peek(r -> effects.calls.incrementAndGet());
        }
    },
    RECOVER(0) {
        @Override
        AsyncGen<Integer> apply(AsyncGen<Integer> gen, Effects effects) {
            return gen.recover(e -> counted(effects, -1));
        }
    },
    BATCH(4) {
        @Override
        AsyncGen<Integer> apply(AsyncGen<Integer> gen, Effects effects) {
            return gen.batch(4, Effects.BATCH_WAIT).flatMap(AsyncGen::fromResults);
        }
    },
    USING(0) {
        @Override
        AsyncGen<Integer> apply(AsyncGen<Integer> gen, Effects effects) {
            return effects.using(gen);
        }
    };

    private final int prefetch;

    PipelineStep(int prefetch) {
        this.prefetch = prefetch;
    }

    abstract AsyncGen<Integer> apply(AsyncGen<Integer> gen, Effects effects);

    int prefetch() {
        return prefetch;
    }

    static AsyncGen<Integer> applyAll(List<PipelineStep> steps, AsyncGen<Integer> source, Effects effects) {
        AsyncGen<Integer> gen = source;
        for (PipelineStep step : steps) {
            gen = step.apply(gen, effects);
        }
        return gen;
    }

    private static <V> V counted(Effects effects, V value) {
        effects.calls.incrementAndGet();
        return value;
    }
}
