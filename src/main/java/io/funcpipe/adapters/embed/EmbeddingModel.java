package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import io.funcpipe.rag.Embedder;
import io.funcpipe.rag.Tokenizer;

/**
 * An embedder with the tokenizer that sizes chunks for it. Closing it closes the embedder (and
 * the tokenizer when it holds resources).
 */
public record EmbeddingModel(Embedder embedder, Tokenizer tokenizer) implements AutoCloseable {

    public EmbeddingModel {
        requireNonNull(embedder, "embedder");
        requireNonNull(tokenizer, "tokenizer");
    }

    @Override
    public void close() {
        try {
            embedder.close();
        } finally {
            if (tokenizer instanceof AutoCloseable closeable && tokenizer != embedder) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing the tokenizer failed: " + e.getMessage(), e);
                }
            }
        }
    }
}
