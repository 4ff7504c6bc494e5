package io.funcpipe.rag;

import io.funcpipe.core.AsyncGen;

/**
 * Port: where documents come from. Each source owns its file or connection inside the stream it
 * describes (via {@code AsyncGen.using}) and releases it when the stream ends or is cancelled.
 * A malformed record is an {@code Err} item naming file and line; the rest goes on.
 */
public interface DocSource {

    /** A short description for reports, such as the path or URL. */
    String describe();

    /** Total input size in bytes when known in advance (for ETA), else -1. */
    long totalBytes();

    /** The documents, lazily; opening it twice reads the input twice. */
    AsyncGen<RawDoc> docs();

    /**
     * The documents after the first {@code skip} records (each record counts once, read or
     * malformed), in the same order as {@link #docs()}: how a resumed run continues. A source that
     * can skip without parsing (a remote session) overrides this.
     */
    default AsyncGen<RawDoc> docsFrom(long skip) {
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be >= 0, got " + skip);
        }
        return skip == 0 ? docs() : docs().skip(skip);
    }
}
