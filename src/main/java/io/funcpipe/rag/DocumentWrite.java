package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One document to write whole: its record and every one of its chunks with their vectors.
 * The record's {@link DocumentRecord#chunkIds()} are the chunks' ids, in order.
 */
public record DocumentWrite(DocumentRecord record, List<EmbeddedChunk> chunks) {

    public DocumentWrite {
        requireNonNull(record, "record");
        chunks = List.copyOf(chunks);
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("document " + record.id() + " has no chunk to write");
        }
    }
}
