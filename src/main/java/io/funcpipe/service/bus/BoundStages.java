package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.util.function.LongSupplier;

import io.funcpipe.rag.IngestStages;

/**
 * A job's ports bound to the remote stages ({@link BusStages#bind}), ready for
 * {@code IngestPipeline.describe(stages(), options, counters)}.
 *
 * @param stages     the ports: source, preparation, embedder, index, each over the event bus
 * @param bytesRead  input bytes read so far, as the parse node reports them with every batch
 * @param totalBytes the inputs' size once the source session is open (-1 before, and for URLs)
 * @param release    closes what the binding still holds: source sessions of runs that were
 *                   neither completed nor cancelled (a run closes its own session when it ends).
 *                   Does not block: it sends the closes and returns.
 */
public record BoundStages(IngestStages stages, LongSupplier bytesRead, LongSupplier totalBytes, AutoCloseable release)
        implements AutoCloseable {

    public BoundStages {
        requireNonNull(stages, "stages");
        requireNonNull(bytesRead, "bytesRead");
        requireNonNull(totalBytes, "totalBytes");
        requireNonNull(release, "release");
    }

    /** {@code release().close()}. */
    @Override
    public void close() throws Exception {
        release.close();
    }
}
