package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A document after cleaning: normalised, printable text that is not empty. */
public record CleanDoc(String id, String location, String text, Map<String, String> metadata) {
    public CleanDoc {
        requireNonNull(id, "id");
        requireNonNull(location, "location");
        requireNonNull(text, "text");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
