package io.funcpipe.rag;

/**
 * What a run did to the index's documents and chunks (see {@link SyncMode}).
 *
 * @param documentsAdded     documents written that the index did not hold
 * @param documentsUpdated   documents written over an earlier version (its old chunks replaced in the same step)
 * @param documentsUnchanged documents skipped before cleaning: their record matched (hash, chunking, embedder)
 * @param documentsDeleted   documents removed: by a {@code full} sync (not seen by the run) or a delete
 * @param chunksEmbedded     chunks the embedder embedded
 * @param chunksReused       chunks whose vector was taken from the index (same text already embedded)
 * @param chunksDeleted      chunks removed: old chunks of updated documents and the chunks of deleted ones
 */
public record SyncCounts(long documentsAdded, long documentsUpdated, long documentsUnchanged, long documentsDeleted,
                         long chunksEmbedded, long chunksReused, long chunksDeleted) {

    /** No document touched. */
    public static SyncCounts none() {
        return new SyncCounts(0, 0, 0, 0, 0, 0, 0);
    }

    public SyncCounts {
        if (documentsAdded < 0 || documentsUpdated < 0 || documentsUnchanged < 0 || documentsDeleted < 0
                || chunksEmbedded < 0 || chunksReused < 0 || chunksDeleted < 0) {
            throw new IllegalArgumentException("sync counts must be >= 0: " + documentsAdded + ", " + documentsUpdated
                    + ", " + documentsUnchanged + ", " + documentsDeleted + ", " + chunksEmbedded + ", " + chunksReused
                    + ", " + chunksDeleted);
        }
    }

    /** Both counts added up (an attempt's on top of what earlier attempts of the run did). */
    public SyncCounts plus(SyncCounts other) {
        return new SyncCounts(documentsAdded + other.documentsAdded, documentsUpdated + other.documentsUpdated,
                documentsUnchanged + other.documentsUnchanged, documentsDeleted + other.documentsDeleted,
                chunksEmbedded + other.chunksEmbedded, chunksReused + other.chunksReused,
                chunksDeleted + other.chunksDeleted);
    }
}
