package io.funcpipe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.funcpipe.adapters.embed.EmbedThroughput;
import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.embed.OnnxModel;
import io.funcpipe.adapters.embed.OnnxEmbedder;
import io.funcpipe.adapters.embed.Throughput;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.SourceSet;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.IngestOptions;
import io.funcpipe.rag.IngestPipeline;
import io.funcpipe.rag.IngestReport;
import io.funcpipe.rag.IngestStages;
import io.funcpipe.rag.Stage;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.clean.Cleaner;

/**
 * Ingests the first N files of a folder with MiniLM and prints the pipeline's throughput beside the
 * ceiling: the same chunks embedded by the model alone (EmbedThroughput, the fastest arrangement:
 * one single-threaded ONNX session, one lane per core), in the same JVM. They run in alternating rounds,
 * ceiling first and last ({@code C P C P ... C}), so that load from other processes on a shared
 * machine hits both alike; the ratio is reported for the best round of each and per round against
 * the mean of the ceilings just before and after it.
 * Usage: {@code IngestVsCeiling DIR [FILES=30] [SESSIONS=cores] [EMBED_BATCH=8] [ROUNDS=3] [MODEL=minilm]}, MODEL
 * one of {@code minilm}, {@code minilm-q}, {@code bge-small-q}.
 */
public final class IngestVsCeiling {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: IngestVsCeiling DIR [FILES=30] [SESSIONS=cores] [EMBED_BATCH=8] [ROUNDS=3] [MODEL=minilm]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int sessions = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        int embedBatch = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        OnnxModel model = EmbedderSpec.Kind.parse(args.length > 5 ? args[5] : "minilm").onnxModel()
                .orElseThrow(() -> new IllegalArgumentException("MODEL must be an in-process model"));
        List<String> inputs;
        try (Stream<Path> listing = Files.list(dir)) {
            inputs = listing.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString))
                    .limit(files).map(Path::toString).toList();
        }
        long started = System.nanoTime();
        try (OnnxEmbedder embedder = OnnxEmbedder.load(model, sessions)) {
            System.out.printf(Locale.ROOT, "model: %s (%s), %d sessions, loaded in %.2f s; %d files from %s; embed batch %d; %d rounds%n",
                    model.label(), model.displayName(), sessions, (System.nanoTime() - started) / 1e9, inputs.size(), dir, embedBatch, rounds);
            Chunker chunker = new Chunker(embedder.tokenizer(), ChunkerOptions.defaults());
            List<String> texts = chunkTexts(inputs, chunker);

            List<Double> ceilings = new ArrayList<>();
            List<Double> pipelines = new ArrayList<>();
            List<Double> ceilingPerCpu = new ArrayList<>();
            List<Double> pipelinePerCpu = new ArrayList<>();
            ceilings.add(ceiling(embedder, texts, 1, ceilingPerCpu));
            for (int round = 1; round <= rounds; round++) {
                long cpu0 = processCpuNanos();
                IngestReport report = pipeline(embedder, chunker, inputs, embedBatch);
                double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
                pipelinePerCpu.add(report.chunksIndexed() / cpuSeconds);
                double seconds = report.elapsedSeconds();
                double chunksPerSecond = report.chunksIndexed() / seconds;
                pipelines.add(chunksPerSecond);
                System.out.printf(Locale.ROOT, "round %d pipeline: %d docs, %d chunks, %d tokens, %.2f MB in %.1f s = %.3f MB/s, %.0f tokens/s, %.1f chunks/s (failed: %d docs, %d chunks; truncated: %d); process CPU %.1f s = %.1f chunks per CPU-second%n",
                        round, report.documentsRead(), report.chunksIndexed(), report.tokens(), report.bytesRead() / 1e6, seconds,
                        report.bytesRead() / 1e6 / seconds, report.tokens() / seconds, chunksPerSecond,
                        report.documentsFailed(), report.chunksFailed(), report.truncations(), cpuSeconds,
                        report.chunksIndexed() / cpuSeconds);
                if (texts.size() != report.chunksIndexed()) {
                    System.out.printf("note: the ceiling embeds %d chunks, the pipeline indexed %d%n", texts.size(), report.chunksIndexed());
                }
                ceilings.add(ceiling(embedder, texts, round + 1, ceilingPerCpu));
            }
            System.out.println("per round: pipeline / mean(ceiling before, ceiling after)");
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < pipelines.size(); i++) {
                double around = (ceilings.get(i) + ceilings.get(i + 1)) / 2;
                ratios.add(pipelines.get(i) / around);
                System.out.printf(Locale.ROOT, "  round %d: %.1f / %.1f = %.2f%n", i + 1, pipelines.get(i), around, ratios.get(i));
            }
            double bestPipeline = pipelines.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double bestCeiling = ceilings.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            System.out.printf(Locale.ROOT, "best pipeline / best ceiling = %.1f / %.1f chunks/s = %.2f (target >= 0.95)%n",
                    bestPipeline, bestCeiling, bestPipeline / bestCeiling);
            System.out.printf(Locale.ROOT, "median per-round ratio = %.2f%n", ratios.stream().sorted().toList().get(ratios.size() / 2));
            double pipelineCpu = median(pipelinePerCpu);
            double ceilingCpu = median(ceilingPerCpu);
            System.out.printf(Locale.ROOT, "CPU efficiency (less sensitive to other load): pipeline %.1f / model alone %.1f chunks per CPU-second = %.2f (medians)%n",
                    pipelineCpu, ceilingCpu, pipelineCpu / ceilingCpu);
        }
        // Mutiny's default worker pool keeps the JVM alive; the measurement is complete
        System.exit(0);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /** One timed run of the model alone over {@code texts}, printed; its chunks per second. */
    private static double ceiling(OnnxEmbedder embedder, List<String> texts, int n, List<Double> perCpu) {
        Throughput t = EmbedThroughput.measure(embedder, embedder.tokenizer(), texts)
                .fold(x -> x, e -> { throw new IllegalStateException(e.message()); });
        System.out.println("ceiling " + n + " (model alone): " + t.describe());
        perCpu.add(t.chunksPerCpuSecond());
        return t.chunksPerSecond();
    }

    /** One run of the whole pipeline into a fresh temporary index. */
    private static IngestReport pipeline(OnnxEmbedder embedder, Chunker chunker, List<String> inputs, int embedBatch)
            throws Exception {
        Path index = Files.createTempDirectory("funcpipe-bench-index");
        IngestCounters counters = new IngestCounters();
        SourceSet sources = Sources.open(inputs, SourceOptions.defaults(), null);
        long t0 = System.nanoTime();
        try (LuceneVectorIndex vectors = LuceneVectorIndex.open(index, embedder.dimensions())
                .fold(i -> i, e -> { throw new IllegalStateException(e.message()); })) {
            IngestStages stages = new IngestStages(sources, Cleaner::clean, chunker::chunk, embedder, vectors);
            IngestPipeline.describe(stages, IngestOptions.defaults().withEmbedBatch(embedBatch), counters)
                    .open().collect().last().await().indefinitely();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (counters.stage(Stage.INDEX).failed() > 0) {
            System.out.println("note: index stage " + counters.stage(Stage.INDEX));
        }
        return IngestReport.of(counters, seconds, embedder);
    }

    /** The chunk texts the pipeline will embed, made by the same source, cleaner and chunker. */
    private static List<String> chunkTexts(List<String> inputs, Chunker chunker) {
        List<String> texts = new ArrayList<>();
        SourceSet sources = Sources.open(inputs, SourceOptions.defaults(), null);
        List<Result<Chunk>> chunks = sources.docs().mapResult(Cleaner::clean).mapResult(chunker::chunk)
                .flatMap(io.funcpipe.core.AsyncGen::fromIterable).collectAll().await().indefinitely();
        for (Result<Chunk> r : chunks) {
            if (r instanceof Ok<Chunk>(Chunk c)) {
                texts.add(c.text());
            }
        }
        return texts;
    }
}
