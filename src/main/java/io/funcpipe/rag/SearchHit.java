package io.funcpipe.rag;

import java.util.Map;

/** One answer to a query: a chunk and its similarity score (higher is closer). */
public record SearchHit(String chunkId, String docId, String location, float score, String text,
                        Map<String, String> metadata) {
    public SearchHit {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
