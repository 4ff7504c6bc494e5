package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/**
 * How a source's bytes are turned into documents. {@link #AUTO} decides per file: by its extension
 * for the text formats, else by its content (Tika's detector). docs/formats.md lists every type.
 */
public enum Format {
    /**
     * By extension: {@code .csv}; {@code .jsonl}/{@code .ndjson}; {@code .txt}/{@code .md}/{@code .markdown};
     * any other file by its content: a document type Tika reads ({@link DocumentTypes}) as
     * {@link #DOCUMENT}, plain text as {@link #TEXT}; anything else is skipped in a folder walk.
     */
    AUTO,
    /** RFC 4180 CSV with a header row: one document per record. */
    CSV,
    /** JSON Lines: one JSON object per line, one document per line. */
    JSONL,
    /** Plain text or Markdown: one document per file (or per HTTP body). */
    TEXT,
    /**
     * A document Apache Tika reads (PDF, HTML, Word, Excel, PowerPoint, OpenDocument, RTF, EPUB,
     * e-mail), its type detected by content: one document per file, one per page for a PDF.
     */
    DOCUMENT;

    /** The format a file name's extension names, or empty when the extension is not known. */
    public static Optional<Format> ofFileName(String fileName) {
        requireNonNull(fileName, "fileName");
        String name = fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return switch (ext) {
            case "csv" -> Optional.of(CSV);
            case "jsonl", "ndjson" -> Optional.of(JSONL);
            case "txt", "md", "markdown" -> Optional.of(TEXT);
            default -> Optional.empty();
        };
    }

    /** Parses a command-line value ({@code auto|csv|jsonl|text|document}, any case). */
    public static Format parse(String value) {
        requireNonNull(value, "value");
        for (Format f : values()) {
            if (f.name().equalsIgnoreCase(value.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + value + "'; use one of auto, csv, jsonl, text, document");
    }
}
