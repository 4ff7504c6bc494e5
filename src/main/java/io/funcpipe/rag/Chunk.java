package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A piece of a document sized to fit the embedding model's window.
 *
 * @param id       stable id: document id, position and a hash of the text, so re-ingesting the
 *                 same input yields the same ids
 * @param docId    the document's id
 * @param location the document's source location
 * @param position the chunk's index within its document, from 0
 * @param text     the chunk's text
 * @param tokens   the chunk's length in the model's tokens (special tokens included)
 * @param metadata the document's metadata
 */
public record Chunk(String id, String docId, String location, int position, String text, int tokens,
                    Map<String, String> metadata) {
    public Chunk {
        requireNonNull(id, "id");
        requireNonNull(docId, "docId");
        requireNonNull(location, "location");
        requireNonNull(text, "text");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
