package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.UrlPolicy;

/**
 * What a parse node lets a source session read, from the node's own config: a request's
 * {@link SourceOptions} is {@linkplain #enforce enforced} before anything is opened, so the roots,
 * the URL policy and the limits a message names count for nothing (any process on the event bus
 * can send one).
 *
 * @param inputRoots       the folders files may be read from ({@code inputRoots}); empty: anywhere
 *                         (an embedded node, {@link #anywhere()})
 * @param urls             which URLs may be fetched, and how ({@code fetch.*})
 * @param maxRecordBytes   the largest CSV record, JSONL line or text document ({@code limits.recordBytes})
 * @param maxMetadataBytes the most metadata bytes per record ({@code limits.metadataBytes})
 * @param maxJobBytes      the most bytes one session reads ({@code limits.jobBytes})
 */
public record ParseRules(List<Path> inputRoots, UrlPolicy urls, int maxRecordBytes, int maxMetadataBytes,
                         long maxJobBytes) {

    public ParseRules {
        inputRoots = requireNonNull(inputRoots, "inputRoots").stream()
                .map(root -> requireNonNull(root, "inputRoots[]").toAbsolutePath().normalize()).toList();
        requireNonNull(urls, "urls");
        if (maxRecordBytes <= 0 || maxMetadataBytes <= 0 || maxJobBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes, maxMetadataBytes and maxJobBytes must be > 0, got "
                    + maxRecordBytes + ", " + maxMetadataBytes + ", " + maxJobBytes);
        }
    }

    /** Files anywhere, any URL, the default limits: a node embedded in a test or a tool. */
    public static ParseRules anywhere() {
        SourceOptions d = SourceOptions.defaults();
        return new ParseRules(List.of(), UrlPolicy.unrestricted(), d.maxRecordBytes(), d.maxMetadataBytes(),
                d.maxTotalBytes());
    }

    /**
     * {@code requested} with this node's roots and URL policy, and each limit at most this node's
     * (a request may ask for less, never for more).
     */
    public SourceOptions enforce(SourceOptions requested) {
        return requested.withRoots(inputRoots).withUrls(urls)
                .withMaxRecordBytes(Math.min(requested.maxRecordBytes(), maxRecordBytes))
                .withMaxMetadataBytes(Math.min(requested.maxMetadataBytes(), maxMetadataBytes))
                .withMaxTotalBytes(Math.min(requested.maxTotalBytes(), maxJobBytes));
    }
}
