package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.funcpipe.rag.IngestStages;
import io.vertx.core.Future;

/**
 * A job's ports, bound by a {@link StageBinder}, and how to let them go.
 *
 * @param stages     the source, preparation, embedder and index the job's pipeline runs over
 * @param bytesRead  input bytes read so far (polled for progress from any thread)
 * @param totalBytes the input's size in bytes when known, else -1 (polled: a remote source knows it once its session is open)
 * @param index      where the index is, for reports: a folder, or a description such as
 *                   {@code index-writer-0:/data/index/docs} when it lives on another node
 * @param release    lets everything go (closes the index, ends remote sessions); the supervisor
 *                   calls it exactly once, after the job's stream has ended or been cancelled and
 *                   the index has been committed. Its future completes when all is released and
 *                   fails if something could not be (the job then reports the failure).
 */
public record BoundJob(IngestStages stages, LongSupplier bytesRead, LongSupplier totalBytes, String index,
                       Supplier<Future<Void>> release) {

    public BoundJob {
        requireNonNull(stages, "stages");
        requireNonNull(bytesRead, "bytesRead");
        requireNonNull(totalBytes, "totalBytes");
        requireNonNull(index, "index");
        requireNonNull(release, "release");
    }
}
