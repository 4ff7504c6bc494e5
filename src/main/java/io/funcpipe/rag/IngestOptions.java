package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the ingestion pipeline groups and commits work.
 *
 * @param embedBatch   chunks per call to the embedder (default 8); the embedder runs
 *                     {@code Embedder.parallelism()} calls at once
 * @param maxBatchWait how long a partial batch waits for more chunks before it is sent (default 200 ms)
 * @param commitEvery  chunks between periodic index commits (default 5,000); the run always commits at its end
 */
public record IngestOptions(int docBatch, int embedBatch, Duration maxBatchWait, long commitEvery) {

    public IngestOptions {
        if (docBatch < 1) {
            throw new IllegalArgumentException("docBatch must be >= 1, got " + docBatch);
        }
        if (embedBatch < 1) {
            throw new IllegalArgumentException("embedBatch must be >= 1, got " + embedBatch);
        }
        requireNonNull(maxBatchWait, "maxBatchWait");
        if (maxBatchWait.isNegative() || maxBatchWait.isZero()) {
            throw new IllegalArgumentException("maxBatchWait must be positive, got " + maxBatchWait);
        }
        if (commitEvery < 1) {
            throw new IllegalArgumentException("commitEvery must be >= 1, got " + commitEvery);
        }
    }

    /** The defaults: 4 documents and 8 chunks per batch, 200 ms wait, a commit every 5,000 chunks. */
    public static IngestOptions defaults() {
        return new IngestOptions(4, 8, Duration.ofMillis(200), 5_000);
    }

    public IngestOptions withDocBatch(int docBatch) {
        return new IngestOptions(docBatch, embedBatch, maxBatchWait, commitEvery);
    }

    public IngestOptions withEmbedBatch(int embedBatch) {
        return new IngestOptions(docBatch, embedBatch, maxBatchWait, commitEvery);
    }

    public IngestOptions withCommitEvery(long commitEvery) {
        return new IngestOptions(docBatch, embedBatch, maxBatchWait, commitEvery);
    }
}
