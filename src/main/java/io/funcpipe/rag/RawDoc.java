package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A document as a source read it, before cleaning.
 *
 * @param id             stable document id, unique within an index (for files in a folder, the path
 *                       relative to it; a file named on its own, its path as given; for CSV/JSONL, the
 *                       id column or {@code file#<content hash>}; docs/formats.md, document identity)
 * @param location       where it came from, such as {@code data/speeches.csv:12}
 * @param text           the decoded text (invalid UTF-8 already replaced by U+FFFD)
 * @param metadata       extra fields (CSV/JSONL columns, file name)
 * @param bytes          how many input bytes it took (for rates and ETA)
 * @param replacedChars  how many invalid UTF-8 sequences decoding replaced
 */
public record RawDoc(String id, String location, String text, Map<String, String> metadata, long bytes,
                     int replacedChars) {
    public RawDoc {
        requireNonNull(id, "id");
        requireNonNull(location, "location");
        requireNonNull(text, "text");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
