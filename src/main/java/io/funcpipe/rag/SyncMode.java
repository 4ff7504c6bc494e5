package io.funcpipe.rag;

import java.util.Locale;

/**
 * How an ingest keeps an index in step with its sources ({@code --sync}, a job's {@code sync}).
 * Every mode writes each document whole, with its {@link DocumentRecord}.
 */
public enum SyncMode {
    /** Every document is cleaned, embedded and upserted by chunk id; nothing is skipped or deleted. */
    NONE,
    /**
     * The default: a document whose record says it is unchanged (same content hash, chunking and
     * embedder) is skipped before cleaning; a changed one replaces its earlier chunks in one atomic step.
     */
    INCREMENTAL,
    /**
     * {@link #INCREMENTAL}, and when the run completed, the documents of the run's source roots that
     * it did not see are deleted, in the run's final commit.
     */
    FULL;

    /** The mode named {@code none}, {@code incremental} or {@code full} (any case). */
    public static SyncMode parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown sync mode '" + name + "': use none, incremental or full");
        }
    }

    /** The mode's name as written in options and JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
