package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Embedder;
import io.funcpipe.rag.Tokenizer;

/**
 * The ceiling an embedder sets on a pipeline: how fast it embeds the given texts on its own, fed
 * batches with {@code parallelism()} calls in flight. A short untimed warm-up comes first. Blocks
 * the calling thread until done (call it from a benchmark or command, not an event loop).
 */
public final class EmbedThroughput {

    /** The batch size used by {@link #measure(Embedder, Tokenizer, List)}. */
    public static final int DEFAULT_BATCH = 32;

    private EmbedThroughput() {
    }

    /** {@link #measure(Embedder, Tokenizer, List, int)} with batches of {@value #DEFAULT_BATCH}. */
    public static Result<Throughput> measure(Embedder embedder, Tokenizer tokenizer, List<String> texts) {
        return measure(embedder, tokenizer, texts, DEFAULT_BATCH);
    }

    /**
     * Embeds {@code texts} in batches of {@code batchSize} with {@code embedder.parallelism()} batches
     * in flight and times it; tokens are counted with {@code tokenizer}, capped at its window. The
     * first Err of the run, or an empty input, is returned as an Err.
     */
    public static Result<Throughput> measure(Embedder embedder, Tokenizer tokenizer, List<String> texts, int batchSize) {
        requireNonNull(embedder, "embedder");
        requireNonNull(tokenizer, "tokenizer");
        requireNonNull(texts, "texts");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (texts.isEmpty()) {
            return Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, "no texts to measure " + embedder.name() + " with"));
        }
        long tokens = 0;
        for (String text : texts) {
            tokens += Math.min(tokenizer.countTokens(text), tokenizer.maxTokens());
        }
        Result<Timed> warmUp = run(embedder, texts.subList(0, Math.min(texts.size(), 2 * embedder.parallelism())), batchSize);
        if (warmUp instanceof Err<Timed> err) {
            return err.cast();
        }
        long finalTokens = tokens;
        return run(embedder, texts, batchSize)
                .map(timed -> new Throughput(embedder.name(), texts.size(), finalTokens, timed.elapsed(), timed.cpu()));
    }

    /** The wall-clock time and the process CPU time of one run. */
    private record Timed(Duration elapsed, Duration cpu) {
    }

    private static Result<Timed> run(Embedder embedder, List<String> texts, int batchSize) {
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += batchSize) {
            batches.add(List.copyOf(texts.subList(from, Math.min(texts.size(), from + batchSize))));
        }
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        List<Result<List<float[]>>> results = AsyncGen.fromIterable(batches)
                .mapAsync(Math.max(1, embedder.parallelism()), batch -> embedder.embed(batch).open())
                .collectAll().await().indefinitely();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long cpuEnd = processCpuNanos();
        Duration cpu = cpuStart < 0 || cpuEnd < 0 ? Duration.ZERO : Duration.ofNanos(cpuEnd - cpuStart);
        int embedded = 0;
        for (Result<List<float[]>> result : results) {
            switch (result) {
                case Ok<List<float[]>>(List<float[]> vectors) -> embedded += vectors.size();
                case Err<List<float[]>> err -> {
                    return err.cast();
                }
            }
        }
        if (embedded != texts.size()) {
            return Result.err(ErrInfo.of(ErrCode.EMBED_FAILED, embedder.name() + " returned " + embedded
                    + " vectors for " + texts.size() + " texts"));
        }
        return Result.ok(new Timed(elapsed, cpu));
    }

    /** The CPU time of the whole process so far (native threads included), or -1 when unknown. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
