package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import io.funcpipe.rag.Embedder;
import io.funcpipe.rag.Tokenizer;

/**
 * An embedder with the tokenizer that sizes chunks for it. The embedder owns whatever the
 * tokenizer holds (MiniLM's tokenizer is closed with it), so closing this closes the embedder.
 */
public record EmbeddingModel(Embedder embedder, Tokenizer tokenizer) implements AutoCloseable {

    public EmbeddingModel {
        requireNonNull(embedder, "embedder");
        requireNonNull(tokenizer, "tokenizer");
    }

    @Override
    public void close() {
        embedder.close();
    }
}
