package io.funcpipe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.funcpipe.adapters.embed.EmbedThroughput;
import io.funcpipe.adapters.embed.MiniLmEmbedder;
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
 * one single-threaded ONNX session per core), measured before and after the pipeline in the same
 * JVM. Usage: {@code IngestVsCeiling DIR [FILES=30] [SESSIONS=cores] [EMBED_BATCH=8]}.
 */
public final class IngestVsCeiling {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: IngestVsCeiling DIR [FILES=30] [SESSIONS=cores] [EMBED_BATCH=8]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int sessions = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        int embedBatch = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        List<String> inputs;
        try (Stream<Path> listing = Files.list(dir)) {
            inputs = listing.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString))
                    .limit(files).map(Path::toString).toList();
        }
        long started = System.nanoTime();
        try (MiniLmEmbedder embedder = MiniLmEmbedder.load(sessions)) {
            System.out.printf(Locale.ROOT, "model: all-MiniLM-L6-v2, %d sessions, loaded in %.2f s; %d files from %s%n",
                    sessions, (System.nanoTime() - started) / 1e9, inputs.size(), dir);
            Chunker chunker = new Chunker(embedder.tokenizer(), ChunkerOptions.defaults());

            List<String> texts = chunkTexts(inputs, chunker);
            Throughput before = EmbedThroughput.measure(embedder, embedder.tokenizer(), texts)
                    .fold(t -> t, e -> { throw new IllegalStateException(e.message()); });
            System.out.println("ceiling (model alone, before): " + before.describe());

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
            IngestReport report = IngestReport.of(counters, seconds, embedder);

            Throughput after = EmbedThroughput.measure(embedder, embedder.tokenizer(), texts)
                    .fold(t -> t, e -> { throw new IllegalStateException(e.message()); });
            System.out.println("ceiling (model alone, after):  " + after.describe());

            double ceiling = (before.chunksPerSecond() + after.chunksPerSecond()) / 2;
            double chunksPerSecond = report.chunksIndexed() / seconds;
            System.out.printf(Locale.ROOT, "pipeline: %d docs, %d chunks, %d tokens, %.2f MB in %.1f s = %.3f MB/s, %.0f tokens/s, %.1f chunks/s (failed: %d docs, %d chunks; truncated: %d)%n",
                    report.documentsRead(), report.chunksIndexed(), report.tokens(), report.bytesRead() / 1e6, seconds,
                    report.bytesRead() / 1e6 / seconds, report.tokens() / seconds, chunksPerSecond,
                    report.documentsFailed(), report.chunksFailed(), report.truncations());
            System.out.printf(Locale.ROOT, "pipeline / ceiling = %.1f / %.1f chunks/s = %.2f (target >= 0.90)%n",
                    chunksPerSecond, ceiling, chunksPerSecond / ceiling);
            if (texts.size() != report.chunksIndexed()) {
                System.out.printf("note: the ceiling embedded %d chunks, the pipeline indexed %d%n", texts.size(), report.chunksIndexed());
            }
            System.out.println("index stage: " + counters.stage(Stage.INDEX));
        }
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
