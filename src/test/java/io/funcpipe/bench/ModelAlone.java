package io.funcpipe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.embed.OnnxEmbedder;
import io.funcpipe.adapters.embed.OnnxModel;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.clean.Cleaner;

/**
 * The model alone, one-shot, for {@code bench/vs-langchain4j.sh}: the chunks {@code funcpipe ingest}
 * would make of the first FILES files of DIR (made before the clock starts), embedded by MODEL in its
 * fastest arrangement ({@link OnnxEmbedder}: one single-threaded session, one lane per core, batch size 1),
 * timed from the first text to the last vector, model load excluded: what the pipeline's
 * ingestion time is compared with. Prints one line of {@code key=value} pairs.
 *
 * <p>Usage: {@code ModelAlone DIR FILES MODEL}.
 */
public final class ModelAlone {

    private ModelAlone() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ModelAlone DIR FILES MODEL");
            System.exit(2);
        }
        List<String> inputs;
        try (Stream<Path> listing = Files.list(Path.of(args[0]))) {
            inputs = listing.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString))
                    .limit(Integer.parseInt(args[1])).map(Path::toString).toList();
        }
        OnnxModel model = EmbedderSpec.Kind.parse(args[2]).onnxModel().orElseThrow();
        long loadStart = System.nanoTime();
        try (OnnxEmbedder embedder = OnnxEmbedder.load(model, Runtime.getRuntime().availableProcessors())) {
            double load = (System.nanoTime() - loadStart) / 1e9;
            Chunker chunker = new Chunker(embedder.tokenizer(), ChunkerOptions.defaults());
            List<String> texts = new ArrayList<>();
            long tokens = 0;
            for (Result<Chunk> r : Sources.open(inputs, SourceOptions.defaults(), null).docs()
                    .mapResult(Cleaner::clean).mapResult(chunker::chunk).flatMap(AsyncGen::fromIterable)
                    .collectAll().await().indefinitely()) {
                if (r instanceof Ok<Chunk>(Chunk c)) {
                    texts.add(c.text());
                    tokens += c.tokens();
                }
            }
            long bytes = 0;
            for (String input : inputs) {
                bytes += Files.size(Path.of(input));
            }
            long start = System.nanoTime();
            // all texts in one call: the lanes pull them one at a time, so no session ever waits for the caller
            embedder.embed(texts).open().await().indefinitely().fold(v -> v, e -> {
                throw new IllegalStateException(e.message());
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "chunks=%d tokens=%d bytes=%d seconds=%.3f truncations=%d model_load=%.3f%n",
                    texts.size(), tokens, bytes, seconds, embedder.truncations(), load);
        }
        System.exit(0);
    }
}
