package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One document after the sync check and preparation: its record (chunk ids still empty), the
 * record the index held under its id, if any, and its chunks; no chunk and an unchanged record
 * means it is skipped.
 */
record Prepared(DocumentRecord record, Optional<DocumentRecord> previous, List<Chunk> chunks, boolean unchanged) {

    Prepared {
        requireNonNull(record, "record");
        requireNonNull(previous, "previous");
        chunks = List.copyOf(chunks);
    }
}
