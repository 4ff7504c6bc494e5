package io.funcpipe.rag;

import java.util.List;

import io.funcpipe.core.AsyncPlan;

/**
 * Port: turns texts into vectors. Implementations never block an event-loop thread; they bound
 * their own concurrency and apply their own policies (rate limit, retry).
 */
public interface Embedder extends AutoCloseable {

    /** A short name for reports: {@code minilm}, {@code hash}, {@code openai:<model>}. */
    String name();

    /** The length of every vector. */
    int dimensions();

    /**
     * How many of {@link #embed} calls may usefully run at once (for example one per ONNX session).
     */
    int parallelism();

    /** Embeds the texts, one unit-length vector per text, in order. */
    AsyncPlan<List<float[]>> embed(List<String> texts);

    /**
     * The text to embed for a search query: {@code query} with the prefix the model was trained to
     * see on queries (for example BGE's "Represent this sentence for searching relevant passages: "),
     * or unchanged for a symmetric model. Passages (chunks) are embedded as they are.
     */
    default String queryText(String query) {
        return query;
    }

    /** How many inputs were truncated by the model so far (must stay 0 when chunks are sized right). */
    default long truncations() {
        return 0;
    }

    @Override
    default void close() {
    }
}
