package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import io.funcpipe.adapters.report.ErrorLog;
import io.funcpipe.adapters.report.ReportJson;
import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.policy.PolicyInterpreter;
import io.funcpipe.core.policy.WeightedGate;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.IngestPipeline;
import io.funcpipe.rag.IngestReport;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Drives jobs through their lives on the supervisor's context: start (bind the stages, open the
 * errors log, subscribe the pipeline), publish progress, and end (commit the index, close the
 * log, release the binding, publish the final event, free the slot and start the next job).
 * Everything here runs on the supervisor's context; futures from binders and blocking calls are
 * brought back to it before they touch a job.
 */
final class JobDriver {

    private static final System.Logger LOG = System.getLogger(JobDriver.class.getName());
    private static final Executor WORKERS = Infrastructure.getDefaultWorkerPool();

    private final Vertx vertx;
    private final Context context;
    private final SupervisorOptions options;
    private final StageBinder binder;
    private final WeightedGate gate;
    private final JobRegistry jobs;
    private final JobMetrics metrics;
    private final BooleanSupplier accepting;

    JobDriver(Vertx vertx, Context context, SupervisorOptions options, StageBinder binder, WeightedGate gate,
              JobRegistry jobs, JobMetrics metrics, BooleanSupplier accepting) {
        this.vertx = vertx;
        this.context = context;
        this.options = options;
        this.binder = binder;
        this.gate = gate;
        this.jobs = jobs;
        this.metrics = metrics;
        this.accepting = accepting;
    }

    /** Starts every queued job that may start now (none once the supervisor stops accepting). */
    void schedule() {
        if (accepting.getAsBoolean()) {
            jobs.startable().forEach(this::start);
        }
        metrics.jobs(jobs.activeCount(), jobs.queuedCount());
    }

    /** The job's status now. */
    JsonObject status(Job job) {
        return JobStatusJson.of(job, gate.share(job.id));
    }

    /**
     * Cancels the job: a queued job ends at once; a running one has its stream cancelled (or, while
     * it binds, is released as soon as it is bound) and ends when everything is released. Nothing
     * happens to a job that has ended. {@link Job#ended()} tells when it is over.
     */
    void cancel(Job job) {
        if (job.state.isFinal()) {
            return;
        }
        job.cancelRequested = true;
        if (job.state == JobState.QUEUED) {
            conclude(job, JobState.CANCELLED);
        } else if (job.run != null) {
            job.run.cancel();
        }
    }

    // ---------------------------------------------------------------- start

    private void start(Job job) {
        job.state = JobState.RUNNING;
        job.startedAt = Instant.now();
        LOG.log(Level.INFO, "job {0} starts: {1} into index {2}", job.id, job.spec.sources(), job.spec.index());
        PolicyInterpreter policy = PolicyInterpreter.of(job.spec.policies());
        UnaryOperator<AsyncPlan<List<float[]>>> guard = call -> policy.retry(policy.limit(
                gate.guard(job.id, job.spec.weight(), policy.timeout(call))));
        Future<BoundJob> binding;
        try {
            binding = requireNonNull(binder.bind(job.id, job.spec, guard), "the stage binder returned no future");
        } catch (RuntimeException e) {
            binding = Future.failedFuture(e);
        }
        here(binding).onComplete(bound -> {
            if (bound.failed()) {
                job.addError("could not bind the job's stages: " + message(bound.cause()));
                conclude(job, JobState.FAILED);
            } else {
                bound(job, bound.result(), policy);
            }
        });
    }

    private void bound(Job job, BoundJob bound, PolicyInterpreter policy) {
        job.bound = bound;
        job.bytesRead = bound.bytesRead();
        job.totalBytes = bound.totalBytes();
        job.embedder = bound.stages().embedder();
        job.indexLocation = bound.index();
        if (job.cancelRequested) {
            release(job).onComplete(ignored -> conclude(job, JobState.CANCELLED));
            return;
        }
        Path log = errorsLog(job);
        here(vertx.executeBlocking(() -> ErrorLog.create(log), false)).onComplete(opened -> {
            if (opened.failed()) {
                job.addError("could not create the errors log " + log + ": " + message(opened.cause()));
                release(job).onComplete(ignored -> conclude(job, JobState.FAILED));
                return;
            }
            JobRun run = new JobRun(new IngestCounters(), new JobErrors(job.id, opened.result()), context);
            job.run = run;
            run.end().onComplete(end -> finish(job, end.result()));
            if (job.cancelRequested) {
                run.cancel();
                return;
            }
            AsyncGen<Chunk> stream = policy.deadline(IngestPipeline.describe(bound.stages(), options.ingest(), run.counters()));
            run.start(stream, WORKERS);
            job.progressTimer = vertx.setPeriodic(options.progressInterval().toMillis(), ignored -> progress(job));
        });
    }

    private void progress(Job job) {
        if (job.state == JobState.RUNNING && job.run != null) {
            metrics.items(job.run.counters(), job.itemsReported);
            vertx.eventBus().publish(JobAddresses.progress(job.id), status(job).put("final", false));
        }
    }

    // ---------------------------------------------------------------- end

    /** The stream has ended: decide the state, then commit, close the log, release, and conclude. */
    private void finish(Job job, JobRun.End end) {
        if (job.progressTimer != -1) {
            vertx.cancelTimer(job.progressTimer);
            job.progressTimer = -1;
        }
        JobState state = switch (end) {
            case JobRun.Cancelled cancelled -> JobState.CANCELLED;
            case JobRun.Failed(Throwable failure) -> {
                job.addError("the job's stream failed: " + message(failure));
                yield JobState.FAILED;
            }
            case JobRun.Completed completed -> {
                ErrInfo own = job.run.jobError();
                if (own != null) {
                    job.addError(own.message());
                    yield JobState.FAILED;
                }
                yield JobState.SUCCEEDED;
            }
        };
        Future<Void> committed = job.run.started() ? commit(job) : Future.succeededFuture();
        committed.compose(ignored -> closeLog(job))
                .compose(ignored -> release(job))
                .onComplete(ignored -> conclude(job, state == JobState.SUCCEEDED && job.endingFailed ? JobState.FAILED : state));
    }

    /** Commits the index (after a completed stream a no-op, after a cancel it keeps what was indexed). */
    private Future<Void> commit(Job job) {
        AsyncPlan<Long> commit = job.bound.stages().index().commit();
        return here(Future.fromCompletionStage(commit.open().subscribeAsCompletionStage())).transform(done -> {
            if (done.failed()) {
                endingFailed(job, "committing the index failed: " + message(done.cause()));
            } else if (done.result() instanceof Err<Long>(ErrInfo e)) {
                endingFailed(job, "committing the index failed: " + e.message());
            }
            return Future.<Void>succeededFuture();
        });
    }

    private Future<Void> closeLog(Job job) {
        JobErrors errors = job.run.errors();
        return here(vertx.<Void>executeBlocking(() -> {
            errors.close();
            return null;
        }, false)).recover(e -> {
            endingFailed(job, "closing the errors log " + errors.file() + " failed: " + message(e));
            return Future.succeededFuture();
        });
    }

    /** Releases the binding once; a failure is recorded on the job, never lost. */
    private Future<Void> release(Job job) {
        BoundJob bound = job.bound;
        if (bound == null) {
            return Future.succeededFuture();
        }
        job.bound = null;
        Future<Void> released;
        try {
            released = requireNonNull(bound.release().get(), "the binding's release returned no future");
        } catch (RuntimeException e) {
            released = Future.failedFuture(e);
        }
        return here(released).recover(e -> {
            endingFailed(job, "releasing the job's stages failed: " + message(e));
            return Future.succeededFuture();
        });
    }

    /** The job is over: report, metrics, final event, slot freed, next job started. */
    private void conclude(Job job, JobState state) {
        job.state = state;
        job.endedAt = Instant.now();
        JobRun run = job.run;
        if (run != null && run.started()) {
            IngestReport report = IngestReport.of(run.counters(), run.seconds(), job.embedder);
            job.report = new JsonObject(ReportJson.write(report, job.indexLocation, run.errors().file().toString()));
            metrics.items(run.counters(), job.itemsReported);
        }
        job.finalShare = gate.share(job.id);
        gate.leave(job.id);
        job.finalStatus = JobStatusJson.of(job, job.finalShare);
        metrics.ended(state);
        if (job.startedAt == null) {
            jobs.dequeue(job);
        } else {
            jobs.finished(job);
        }
        metrics.jobs(jobs.activeCount(), jobs.queuedCount());
        LOG.log(state == JobState.FAILED ? Level.WARNING : Level.INFO, "job {0} ended {1}{2}", job.id, state,
                job.error == null ? "" : ": " + job.error);
        vertx.eventBus().publish(JobAddresses.progress(job.id), job.finalStatus.copy().put("final", true));
        job.markEnded();
        schedule();
    }

    private void endingFailed(Job job, String sentence) {
        job.endingFailed = true;
        job.addError(sentence);
    }

    private Path errorsLog(Job job) {
        return options.indexRoot().resolve(job.spec.index()).resolve("errors.jsonl");
    }

    /** {@code future}'s outcome, delivered on the supervisor's context whatever thread completes it. */
    private <T> Future<T> here(Future<T> future) {
        Promise<T> promise = Promise.promise();
        future.onComplete(outcome -> context.runOnContext(ignored -> promise.handle(outcome)));
        return promise.future();
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
