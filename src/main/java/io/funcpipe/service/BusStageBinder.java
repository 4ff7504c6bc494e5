package io.funcpipe.service;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.service.bus.BoundStages;
import io.funcpipe.service.bus.BusJob;
import io.funcpipe.service.bus.BusStages;
import io.funcpipe.service.bus.StageAddress;
import io.funcpipe.service.bus.StageBindException;
import io.funcpipe.core.ErrCode;
import io.funcpipe.service.job.BoundJob;
import io.funcpipe.service.job.JobSpec;
import io.funcpipe.service.job.StageBinder;
import io.funcpipe.service.shell.ServiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Binds a job's ports to the stage verticles over the event bus ({@link BusStages}): the stages
 * may run on this node or on any node of the cluster. The transport settings (window, document
 * batch, reply timeout) come from the service's config, the retry policy from the job's spec.
 */
final class BusStageBinder implements StageBinder {

    private final Vertx vertx;
    private final ServiceConfig.Transport transport;
    private final List<Path> inputRoots;
    private final Path indexRoot;

    /** {@code indexRoot} is this node's index.dir: the supervisor runs on the node that hosts the index stage. */
    BusStageBinder(Vertx vertx, ServiceConfig.Transport transport, List<Path> inputRoots, Path indexRoot) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.transport = requireNonNull(transport, "transport");
        this.inputRoots = List.copyOf(inputRoots);
        this.indexRoot = requireNonNull(indexRoot, "indexRoot");
    }

    @Override
    public Future<BoundJob> bind(String jobId, JobSpec spec, UnaryOperator<AsyncPlan<List<float[]>>> embedGuard) {
        SourceOptions sourceOptions = SourceOptions.defaults().withFormat(spec.format()).withCsv(spec.fields())
                .withJsonl(spec.fields()).withRoots(inputRoots);
        BusJob job = new BusJob(jobId, spec.sources(), sourceOptions,
                new ChunkerOptions(spec.chunking().maxTokens(), spec.chunking().overlap()), spec.index(),
                transport.window(), transport.docBatch(), transport.replyTimeout(), spec.policies().retry(), embedGuard);
        return BusStages.bind(vertx, job).<BoundJob>map(bound -> new BoundJob(bound.stages(), bound.bytesRead(),
                bound.totalBytes(), indexRoot.resolve(spec.index()).toString(),
                () -> release(bound))).recover(BusStageBinder::unavailable);
    }

    /** A bind that found no node hosting a stage is a {@link StageUnavailable} naming it: the job waits for it. */
    private static Future<BoundJob> unavailable(Throwable failure) {
        if (failure instanceof StageBindException bind && bind.error().code() == ErrCode.UNAVAILABLE) {
            String address = bind.error().details().getOrDefault("address", "");
            if (address.startsWith(StageAddress.PREFIX)) {
                return Future.failedFuture(new StageBinder.StageUnavailable(address.substring(StageAddress.PREFIX.length()),
                        bind.getMessage()));
            }
        }
        return Future.failedFuture(failure);
    }

    private Future<Void> release(BoundStages bound) {
        return vertx.executeBlocking(() -> {
            bound.close();
            return null;
        }, false);
    }
}
