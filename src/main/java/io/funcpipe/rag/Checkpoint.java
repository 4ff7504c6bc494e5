package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * How far one run (a service job, or an {@code ingest} of some inputs) got through its inputs,
 * committed with the index data so that both survive a crash together: the first {@code docs}
 * records of the run's inputs, in the sources' order, are done (indexed, or failed and counted),
 * and these are their counts. A resumed run skips those records and starts from its counts; with
 * upserts by stable chunk id it ends with the index of a fault-free run.
 *
 * @param key             the run it belongs to: a job id, or an ingest key
 * @param docs            records done, in source order (parsed ok or not)
 * @param documentsFailed of those, records that failed to parse, clean or chunk
 * @param chunksIndexed   chunks of those records that are in the index
 * @param chunksFailed    chunks of those records that failed to embed or index
 * @param time            when the checkpoint was taken
 * @param complete        whether the run read its inputs to their end (the checkpoint of its final
 *                        commit): a run that starts over the same inputs again starts afresh
 * @param sync            what those records did to the index's documents and chunks (added, updated,
 *                        unchanged; chunks embedded, reused, deleted), and the documents a full sync
 *                        deleted at the run's end: a resumed run adds its own counts to these
 */
public record Checkpoint(String key, long docs, long documentsFailed, long chunksIndexed, long chunksFailed,
                         Instant time, boolean complete, SyncCounts sync) {

    public Checkpoint {
        requireNonNull(key, "key");
        requireNonNull(time, "time");
        requireNonNull(sync, "sync");
        if (docs < 0 || documentsFailed < 0 || chunksIndexed < 0 || chunksFailed < 0) {
            throw new IllegalArgumentException("checkpoint counts must be >= 0: " + docs + ", " + documentsFailed
                    + ", " + chunksIndexed + ", " + chunksFailed);
        }
    }

    /** The start of run {@code key}: nothing done yet. */
    public static Checkpoint start(String key) {
        return new Checkpoint(key, 0, 0, 0, 0, Instant.EPOCH, false, SyncCounts.none());
    }

    /** This checkpoint, marked as the end of its run. */
    public Checkpoint completed() {
        return new Checkpoint(key, docs, documentsFailed, chunksIndexed, chunksFailed, time, true, sync);
    }

    /** Whether this is a run's start (nothing done). */
    public boolean atStart() {
        return docs == 0 && chunksIndexed == 0 && chunksFailed == 0;
    }
}
