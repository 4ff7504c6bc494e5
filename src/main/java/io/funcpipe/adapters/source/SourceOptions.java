package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to read the inputs: what the command line's source options become.
 *
 * @param format         {@link Format#AUTO} (default) decides per file by extension; any other value
 *                       applies to every input
 * @param include        globs (relative to a directory root, e.g. {@code **}{@code /*.csv}) a walked
 *                       file must match; empty (default) includes every file
 * @param exclude        globs that drop a walked file; default none
 * @param csv            CSV columns; default {@link FieldMapping#defaults()}
 * @param jsonl          JSONL fields; default {@link FieldMapping#defaults()}
 * @param maxRecordBytes the largest JSONL line or text document read into memory; a longer one is
 *                       an {@code Err} item. Default 16 MiB.
 * @param roots          the folders files may be read from; empty (default) means anywhere. When
 *                       set, each file is checked just before it is opened: one whose real path
 *                       (symbolic links resolved) lies outside every root is not read and becomes an
 *                       {@code INVALID_INPUT} item, so a link inside a root cannot lead outside it.
 * @param maxDocumentChars the most characters of text kept from one document read with Tika (PDF,
 *                       HTML, Office, ...; Tika's write limit); a document with more is a
 *                       {@code TOO_LARGE} item. Default {@value #DEFAULT_MAX_DOCUMENT_CHARS}.
 * @param parseTimeout   the longest one document read with Tika may take to parse; a slower one is
 *                       abandoned as a {@code PARSE_TIMEOUT} item. Default 60 seconds.
 * @param urls           which http(s) URLs may be fetched, with timeouts and a byte cap; default
 *                       {@link UrlPolicy#unrestricted()} (the service sets its own on the node that fetches)
 * @param maxMetadataBytes the most UTF-8 bytes of metadata (keys and values) one record may carry
 *                       (every chunk of the record carries a copy); a record with more is a
 *                       {@code TOO_LARGE} item. Default {@value #DEFAULT_MAX_METADATA_BYTES}.
 * @param maxTotalBytes  the most bytes read over all the inputs of one run; past it the run's
 *                       inputs end with a {@code TOO_LARGE} item. Default {@link #DEFAULT_MAX_TOTAL_BYTES}
 *                       ({@link Long#MAX_VALUE}: no limit).
 */
public record SourceOptions(Format format, List<String> include, List<String> exclude, FieldMapping csv,
                            FieldMapping jsonl, int maxRecordBytes, List<Path> roots, int maxDocumentChars,
                            Duration parseTimeout, UrlPolicy urls, int maxMetadataBytes,
                            long maxTotalBytes) {

    /** The default for {@link #maxRecordBytes}: 16 MiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;

    /** The default for {@link #maxDocumentChars}: five million characters (a book of about 2,500 pages). */
    public static final int DEFAULT_MAX_DOCUMENT_CHARS = 5_000_000;

    /** The default for {@link #maxMetadataBytes}: 64 KiB. */
    public static final int DEFAULT_MAX_METADATA_BYTES = 64 << 10;

    /** The default for {@link #maxTotalBytes}: no limit. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = Long.MAX_VALUE;

    /** The default for {@link #parseTimeout}: 60 seconds. */
    public static final Duration DEFAULT_PARSE_TIMEOUT = Duration.ofSeconds(60);

    public SourceOptions {
        requireNonNull(format, "format");
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        requireNonNull(csv, "csv");
        requireNonNull(jsonl, "jsonl");
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, got " + maxRecordBytes);
        }
        roots = roots == null ? List.of() : List.copyOf(roots);
        if (maxDocumentChars <= 0) {
            throw new IllegalArgumentException("maxDocumentChars must be positive, got " + maxDocumentChars);
        }
        requireNonNull(parseTimeout, "parseTimeout");
        if (parseTimeout.isNegative() || parseTimeout.isZero()) {
            throw new IllegalArgumentException("parseTimeout must be positive, got " + parseTimeout);
        }
        requireNonNull(urls, "urls");
        if (maxMetadataBytes <= 0) {
            throw new IllegalArgumentException("maxMetadataBytes must be positive, got " + maxMetadataBytes);
        }
        if (maxTotalBytes <= 0) {
            throw new IllegalArgumentException("maxTotalBytes must be positive, got " + maxTotalBytes);
        }
    }

    /**
     * Auto format, every file, default field names, 16 MiB records, files anywhere, five million
     * characters and 60 seconds per document, any URL, 64 KiB of metadata per record, no total limit.
     */
    public static SourceOptions defaults() {
        return new SourceOptions(Format.AUTO, List.of(), List.of(), FieldMapping.defaults(), FieldMapping.defaults(),
                DEFAULT_MAX_RECORD_BYTES, List.of(), DEFAULT_MAX_DOCUMENT_CHARS, DEFAULT_PARSE_TIMEOUT,
                UrlPolicy.unrestricted(), DEFAULT_MAX_METADATA_BYTES, DEFAULT_MAX_TOTAL_BYTES);
    }

    public SourceOptions withFormat(Format format) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }

    public SourceOptions withInclude(List<String> include) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }

    public SourceOptions withExclude(List<String> exclude) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }

    public SourceOptions withCsv(FieldMapping csv) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }

    public SourceOptions withJsonl(FieldMapping jsonl) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }

    public SourceOptions withMaxRecordBytes(int maxRecordBytes) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }

    /** Files may be read only from under these folders (empty: anywhere). */
    public SourceOptions withRoots(List<Path> roots) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }

    /** At most this many characters of text per document read with Tika. */
    public SourceOptions withMaxDocumentChars(int maxDocumentChars) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }

    /** URLs are fetched under this policy. */
    public SourceOptions withUrls(UrlPolicy urls) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }

    /** At most this many bytes of metadata per record. */
    public SourceOptions withMaxMetadataBytes(int maxMetadataBytes) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }

    /** At most this many bytes read over all inputs. */
    public SourceOptions withMaxTotalBytes(long maxTotalBytes) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }

    /** At most this long to parse one document read with Tika. */
    public SourceOptions withParseTimeout(Duration parseTimeout) {
        return new SourceOptions(format, include, exclude, csv, jsonl, maxRecordBytes, roots, maxDocumentChars,
                parseTimeout, urls, maxMetadataBytes, maxTotalBytes);
    }
}
