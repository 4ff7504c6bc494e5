package io.funcpipe.core;

import java.util.List;
import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Functions;
import net.jqwik.api.Tuple;
import net.jqwik.api.arbitraries.FunctionArbitrary;

/** Generators for the properties: results, streams of them with {@code Err} items, and stream-valued functions. */
final class ResultArbitraries {

    private ResultArbitraries() {
    }

    static Arbitrary<ErrInfo> errors() {
        return Combinators.combine(Arbitraries.of(ErrCode.class), Arbitraries.integers().between(0, 99))
                .as((code, n) -> ErrInfo.of(code, "e" + n));
    }

    /** About one item in five is an {@code Err}. */
    static Arbitrary<Result<Integer>> results() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(-1000, 1000).map(Result::ok)),
                Tuple.of(1, errors().map(Result::err)));
    }

    static Arbitrary<List<Result<Integer>>> resultLists(int maxSize) {
        return results().list().ofMaxSize(maxSize);
    }

    static Arbitrary<AsyncGen<Integer>> streams() {
        return resultLists(12).map(AsyncGen::fromResults);
    }

    /** Pure functions from a value to a short stream (0 to 3 items, some of them {@code Err}). */
    static Arbitrary<Function<Integer, AsyncGen<Integer>>> streamFunctions() {
        FunctionArbitrary<Function<Integer, AsyncGen<Integer>>, AsyncGen<Integer>> functions =
                Functions.function(functionType()).returning(resultLists(3).map(AsyncGen::fromResults));
        return functions;
    }

    static Arbitrary<Function<Integer, Integer>> intFunctions() {
        return Functions.function(intFunctionType()).returning(Arbitraries.integers().between(-1000, 1000));
    }

    @SuppressWarnings("unchecked")
    private static Class<Function<Integer, AsyncGen<Integer>>> functionType() {
        return (Class<Function<Integer, AsyncGen<Integer>>>) (Class<?>) Function.class;
    }

    @SuppressWarnings("unchecked")
    private static Class<Function<Integer, Integer>> intFunctionType() {
        return (Class<Function<Integer, Integer>>) (Class<?>) Function.class;
    }
}
