package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How one run keeps its index in step with its sources.
 *
 * @param mode     none, incremental (the default) or full
 * @param chunking the chunking options as recorded in each document's record: a document chunked
 *                 otherwise is not unchanged
 * @param roots    the run's source roots ({@link #ROOT_METADATA} of their documents): a full sync
 *                 deletes the documents of these roots that the run did not see
 */
public record SyncOptions(SyncMode mode, String chunking, List<String> roots) {

    /**
     * The metadata key under which a source tags each document with its root; the pipeline takes
     * it off before cleaning (it is kept in the document's record, not in its chunks).
     */
    public static final String ROOT_METADATA = "funcpipe.root";

    public SyncOptions {
        requireNonNull(mode, "mode");
        requireNonNull(chunking, "chunking");
        roots = List.copyOf(roots);
    }

    /** {@link SyncMode#NONE} with no chunking recorded: every document is written as it comes. */
    public static SyncOptions none() {
        return new SyncOptions(SyncMode.NONE, "", List.of());
    }
}
