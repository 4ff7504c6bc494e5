package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

/** A chunk with its embedding vector (unit length for cosine similarity). */
public record EmbeddedChunk(Chunk chunk, float[] vector) {
    public EmbeddedChunk {
        requireNonNull(chunk, "chunk");
        requireNonNull(vector, "vector");
    }
}
