package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.IngestStages;
import io.funcpipe.service.bus.protocol.BusCodecs;
import io.funcpipe.service.bus.protocol.CommitIndex;
import io.funcpipe.service.bus.protocol.EmbedTexts;
import io.funcpipe.service.bus.protocol.IndexAck;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.funcpipe.service.bus.protocol.Vectors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Binds a job's ports to the stages reached over the event bus (local or clustered), so that
 * {@code IngestPipeline.describe} runs unchanged on remote stages:
 *
 * <pre>{@code
 * BusStages.bind(vertx, job).onSuccess(bound -> {
 *     IngestCounters counters = new IngestCounters();
 *     IngestPipeline.describe(bound.stages(), ingestOptions, counters).open()
 *             .subscribe().with(item -> ..., failure -> ..., () -> bound.close());
 * });
 * }</pre>
 *
 * Binding asks the embed stage which model it runs (the index is tagged with it), and opens the
 * job's index once with a commit, so that a missing stage, a bad index name or an index built with
 * another model fails the bind at once, with a {@link StageBindException} saying what to fix,
 * instead of failing every chunk. Each request then carries the job's reply timeout and is retried
 * under its retry policy; at most {@link BusJob#window()} batches are in flight per stage.
 */
public final class BusStages {

    private BusStages() {
    }

    /** Binds {@code job}'s ports; fails with a {@link StageBindException} when the stages cannot serve it. */
    public static Future<BoundStages> bind(Vertx vertx, BusJob job) {
        requireNonNull(vertx, "vertx");
        requireNonNull(job, "job");
        try {
            BusCodecs.register(vertx.eventBus());
        } catch (IllegalStateException e) {
            return Future.failedFuture(e);
        }
        StageClient client = new StageClient(vertx, job);
        AsyncPlan<BoundStages> binding = client.call(StageAddress.EMBED, new EmbedTexts(List.of()), Vectors.class)
                .map(model -> new IndexTarget(job.indexName(), model.embedder(), model.dimensions()))
                .flatMap(target -> client.call(StageAddress.INDEX, new CommitIndex(target), IndexAck.class)
                        .map(committed -> bound(client, job, target)));
        Promise<BoundStages> promise = Promise.promise();
        binding.open().subscribe().with(
                result -> complete(promise, result),
                promise::fail);
        return promise.future();
    }

    private static void complete(Promise<BoundStages> promise, Result<BoundStages> result) {
        switch (result) {
            case Ok<BoundStages>(BoundStages bound) -> promise.complete(bound);
            case Err<BoundStages>(ErrInfo error) -> promise.fail(new StageBindException(error));
        }
    }

    private static BoundStages bound(StageClient client, BusJob job, IndexTarget target) {
        BusDocSource source = new BusDocSource(client, job);
        IngestStages stages = new IngestStages(source, new BusPreparation(client, job),
                new BusEmbedder(client, job, target.embedder(), target.dimensions()), new BusIndex(client, target));
        return new BoundStages(stages, source::bytesRead, source::totalBytes,
                () -> source.closeAll("the job released its stages"));
    }
}
