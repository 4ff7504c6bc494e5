package io.funcpipe.bench;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.rag.Embedder;

/**
 * The baseline arrangement: LangChain4j's packaged {@link AllMiniLmL6V2EmbeddingModel} and its own
 * {@code embedAll} (one shared ONNX session with default threading, texts spread over its own pool
 * of one thread per core). One {@code embedAll} call at a time, from this adapter's own thread.
 */
final class LangChainMiniLm implements Embedder {

    private final AllMiniLmL6V2EmbeddingModel model;
    private final ExecutorService caller = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "bench-langchain4j");
        thread.setDaemon(true);
        return thread;
    });

    LangChainMiniLm(AllMiniLmL6V2EmbeddingModel model) {
        this.model = requireNonNull(model, "model");
    }

    @Override
    public String name() {
        return "langchain4j-embedAll";
    }

    @Override
    public int dimensions() {
        return 384;
    }

    @Override
    public int parallelism() {
        return 1;
    }

    @Override
    public AsyncPlan<List<float[]>> embed(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return AsyncPlan.fromCompletionStage(() -> CompletableFuture.supplyAsync(
                () -> model.embedAll(segments).content().stream().map(Embedding::vector).toList(), caller));
    }

    @Override
    public void close() {
        caller.shutdown();
    }
}
