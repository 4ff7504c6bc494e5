package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.Preparation;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.service.bus.protocol.PrepareDocs;
import io.funcpipe.service.bus.protocol.PreparedDocs;

/**
 * {@link Preparation} over the clean stage: one {@link PrepareDocs} per batch with the job's
 * chunking options, retried on timeout (cleaning and chunking are pure, so a repeat is harmless).
 * {@link #parallelism()} is the job's window: at most W batches in flight.
 */
final class BusPreparation implements Preparation {

    private final StageClient client;
    private final BusJob job;

    BusPreparation(StageClient client, BusJob job) {
        this.client = requireNonNull(client, "client");
        this.job = requireNonNull(job, "job");
    }

    @Override
    public AsyncPlan<List<Result<List<Chunk>>>> prepare(List<RawDoc> docs) {
        return client.call(StageAddress.CLEAN, new PrepareDocs(docs, job.chunking()), PreparedDocs.class)
                .map(PreparedDocs::results);
    }

    @Override
    public int parallelism() {
        return job.window();
    }
}
