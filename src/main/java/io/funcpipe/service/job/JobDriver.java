package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
import io.funcpipe.rag.Checkpoint;
import io.funcpipe.rag.CheckpointTracker;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.IngestStages;
import io.funcpipe.rag.SearchHit;
import io.funcpipe.rag.VectorIndex;
import io.funcpipe.rag.IngestPipeline;
import io.funcpipe.rag.IngestReport;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Drives jobs through their lives on the supervisor's context: start (bind the stages, waiting
 * for a stage no node hosts yet; read the job's checkpoint from its index; open the errors log;
 * subscribe the pipeline from that checkpoint), publish progress, and end (commit the index with
 * the checkpoint, close the log, release the binding, publish the final event, free the slot and
 * start the next job). Every change of a job's state is written to the {@link JobLedger} first. On
 * shutdown a running job is suspended instead: it stops at a committed checkpoint and stays
 * RUNNING in the ledger, so the next supervisor on the same index volume resumes it.
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
    private final JobLedger ledger;

    JobDriver(Vertx vertx, Context context, SupervisorOptions options, StageBinder binder, WeightedGate gate,
              JobRegistry jobs, JobMetrics metrics, BooleanSupplier accepting, JobLedger ledger) {
        this.ledger = ledger;
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
            return;
        }
        record(job); // the cancel sticks, even if the supervisor dies before the job has ended
        if (job.run != null) {
            job.run.cancel();
        } else if (job.waitTimer != -1) {
            stopWaiting(job);
            conclude(job, JobState.CANCELLED);
        }
    }

    /** A queued job that cannot run (its {@link Job#error} says why) ends FAILED. */
    void fail(Job job) {
        conclude(job, JobState.FAILED);
    }

    /**
     * The supervisor stops: the job stops at a checkpoint (committed with the index) and stays
     * RUNNING in the ledger, to be resumed by the next supervisor. {@link Job#ended()} tells when
     * everything it held is released.
     */
    void suspend(Job job) {
        if (job.state != JobState.RUNNING || job.suspending) {
            return;
        }
        job.suspending = true;
        if (job.run != null) {
            job.run.cancel();
        } else if (job.waitTimer != -1) {
            stopWaiting(job);
            suspended(job);
        }
    }

    /** Records the job's entry in the ledger, in order with its other writes; a failure is logged, never thrown. */
    Future<Void> record(Job job) {
        JsonObject entry = JobEntry.of(job);
        return here(vertx.<Void>executeBlocking(() -> {
            ledger.write(entry);
            return null;
        }, true)).onFailure(e -> LOG.log(Level.ERROR, "job {0}: {1}", job.id, message(e)));
    }

    // ---------------------------------------------------------------- start

    private void start(Job job) {
        boolean resuming = job.resumes > 0;
        job.state = JobState.RUNNING;
        if (job.startedAt == null) {
            job.startedAt = Instant.now();
        }
        LOG.log(Level.INFO, "job {0} {1}: {2} into index {3}", job.id, resuming ? "resumes (resume " + job.resumes + ")"
                : "starts", job.spec.sources(), job.spec.index());
        PolicyInterpreter policy = PolicyInterpreter.of(job.spec.policies());
        UnaryOperator<AsyncPlan<List<float[]>>> guard = call -> policy.retry(policy.limit(
                gate.guard(job.id, job.spec.weight(), policy.timeout(call))));
        record(job).onComplete(ignored -> bind(job, policy, guard, Instant.now()));
    }

    /** Binds the job's stages; while a stage it needs has no node, waits and tries again, up to {@code stageWait}. */
    private void bind(Job job, PolicyInterpreter policy, UnaryOperator<AsyncPlan<List<float[]>>> guard, Instant since) {
        job.waitTimer = -1;
        if (job.cancelRequested || job.suspending) {
            if (job.suspending) {
                suspended(job);
            } else {
                conclude(job, JobState.CANCELLED);
            }
            return;
        }
        Future<BoundJob> binding;
        try {
            binding = requireNonNull(binder.bind(job.id, job.spec, guard), "the stage binder returned no future");
        } catch (RuntimeException e) {
            binding = Future.failedFuture(e);
        }
        here(binding).onComplete(bound -> {
            if (bound.succeeded()) {
                job.waiting = null;
                checkpointed(job, bound.result(), policy);
                return;
            }
            Duration waited = Duration.between(since, Instant.now());
            if (bound.cause() instanceof StageBinder.StageUnavailable missing && waited.compareTo(options.stageWait()) < 0) {
                if (job.waiting == null) {
                    LOG.log(Level.WARNING, "job {0} waits for stage {1} (up to {2}): {3}", job.id, missing.stage(),
                            options.stageWait(), missing.getMessage());
                }
                job.waiting = "waiting for stage " + missing.stage();
                progress(job);
                long delay = Math.max(1, Math.min(WAIT_RETRY.toMillis(), options.stageWait().minus(waited).toMillis()));
                job.waitTimer = vertx.setTimer(delay, ignored -> bind(job, policy, guard, since));
                return;
            }
            String waitedFor = job.waiting == null ? "" : " (after " + job.waiting + " for " + options.stageWait() + ")";
            job.waiting = null;
            job.addError("could not bind the job's stages" + waitedFor + ": " + message(bound.cause()));
            conclude(job, JobState.FAILED);
        });
    }

    /** How often a job that waits for a stage tries to bind again. */
    private static final Duration WAIT_RETRY = Duration.ofSeconds(1);

    private void stopWaiting(Job job) {
        if (job.waitTimer != -1) {
            vertx.cancelTimer(job.waitTimer);
            job.waitTimer = -1;
        }
        job.waiting = null;
    }

    /** Reads the job's checkpoint from its index (a resumed job continues there), then runs. */
    private void checkpointed(Job job, BoundJob bound, PolicyInterpreter policy) {
        job.bound = bound;
        AsyncPlan<Optional<Checkpoint>> read = bound.stages().index().checkpoint(job.id);
        here(Future.fromCompletionStage(read.open().subscribeAsCompletionStage())).onComplete(found -> {
            if (found.succeeded() && found.result() instanceof io.funcpipe.core.Ok<Optional<Checkpoint>>(var checkpoint)) {
                Checkpoint base = checkpoint.orElse(Checkpoint.start(job.id));
                if (!base.atStart()) {
                    LOG.log(Level.INFO, "job {0} continues after record {1} ({2} chunks indexed before)", job.id,
                            base.docs(), base.chunksIndexed());
                    job.committed = base;
                }
                job.tracker = new CheckpointTracker(base, Clock.systemUTC());
                bound(job, bound, policy);
            } else {
                job.addError("could not read the job's checkpoint from its index: " + (found.failed()
                        ? message(found.cause()) : ((io.funcpipe.core.Err<?>) found.result()).error().message()));
                release(job).onComplete(ignored -> conclude(job, JobState.FAILED));
            }
        });
    }

    private void bound(Job job, BoundJob bound, PolicyInterpreter policy) {
        job.bytesRead = bound.bytesRead();
        job.totalBytes = bound.totalBytes();
        job.embedder = bound.stages().embedder();
        job.indexLocation = bound.index();
        if (job.cancelRequested || job.suspending) {
            release(job).onComplete(ignored -> {
                if (job.suspending) {
                    suspended(job);
                } else {
                    conclude(job, JobState.CANCELLED);
                }
            });
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
            IngestStages stages = bound.stages();
            IngestStages watched = new IngestStages(stages.source(), stages.preparation(), stages.embedder(),
                    new CommitWatch(stages.index(), committed -> {
                        job.committed = committed;
                        context.runOnContext(ignored -> record(job));
                    }));
            AsyncGen<Chunk> stream = policy.deadline(IngestPipeline.describe(watched, options.ingest(), run.counters(),
                    job.tracker));
            run.start(stream, WORKERS);
            job.progressTimer = vertx.setPeriodic(options.progressInterval().toMillis(), ignored -> progress(job));
        });
    }

    private void progress(Job job) {
        if (job.state == JobState.RUNNING) {
            if (job.run != null) {
                metrics.items(job.run.counters(), job.itemsReported);
            }
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
        if (job.suspending && end instanceof JobRun.Cancelled) {
            Future<Void> committed = job.run.started() ? commit(job) : Future.succeededFuture();
            committed.compose(ignored -> closeLog(job))
                    .compose(ignored -> release(job))
                    .onComplete(ignored -> suspended(job));
            return;
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

    /**
     * Commits the index with the job's checkpoint (after a completed stream the final commit has
     * done it already; after a cancel or a suspension it keeps what was indexed and where to go on).
     */
    private Future<Void> commit(Job job) {
        Checkpoint checkpoint = job.tracker.current();
        AsyncPlan<Long> commit = job.bound.stages().index().commit(checkpoint);
        return here(Future.fromCompletionStage(commit.open().subscribeAsCompletionStage())).transform(done -> {
            if (done.failed()) {
                endingFailed(job, "committing the index failed: " + message(done.cause()));
            } else if (done.result() instanceof Err<Long>(ErrInfo e)) {
                endingFailed(job, "committing the index failed: " + e.message());
            } else {
                job.committed = checkpoint;
            }
            return Future.<Void>succeededFuture();
        });
    }

    /**
     * A suspended job has released everything: it stays RUNNING in the ledger with its checkpoint,
     * and a last progress event says so ({@code "suspended": true}); it is not over.
     */
    private void suspended(Job job) {
        gate.leave(job.id);
        LOG.log(Level.INFO, "job {0} suspended at {1}: it resumes when the supervisor starts again", job.id,
                job.committed == null ? "its start" : "record " + job.committed.docs());
        record(job).onComplete(ignored -> {
            vertx.eventBus().publish(JobAddresses.progress(job.id), status(job).put("final", false)
                    .put("suspended", true));
            job.markEnded();
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
            IngestReport report = IngestReport.of(run.counters(), run.seconds(), job.embedder)
                    .resumedFrom(job.tracker.base());
            job.report = new JsonObject(ReportJson.write(report, job.indexLocation, run.errors().file().toString()));
            metrics.items(run.counters(), job.itemsReported);
        }
        job.finalShare = gate.share(job.id);
        gate.leave(job.id);
        job.finalStatus = JobStatusJson.of(job, job.finalShare);
        metrics.ended(state);
        List<Job> forgotten = jobs.isActive(job) ? jobs.finished(job) : jobs.dequeue(job);
        metrics.jobs(jobs.activeCount(), jobs.queuedCount());
        LOG.log(state == JobState.FAILED ? Level.WARNING : Level.INFO, "job {0} ended {1}{2}", job.id, state,
                job.error == null ? "" : ": " + job.error);
        record(job).onComplete(ignored -> {
            forget(forgotten);
            vertx.eventBus().publish(JobAddresses.progress(job.id), job.finalStatus.copy().put("final", true));
            job.markEnded();
        });
        schedule();
    }

    /** Deletes the ledger entries of jobs the registry no longer keeps. */
    void forget(List<Job> forgotten) {
        if (!forgotten.isEmpty()) {
            vertx.executeBlocking(() -> {
                forgotten.forEach(old -> ledger.delete(old.id));
                return null;
            }, true);
        }
    }

    /** The job's index, telling {@code onCommit} of each checkpoint that a commit made durable. */
    private record CommitWatch(VectorIndex index, java.util.function.Consumer<Checkpoint> onCommit) implements VectorIndex {
        @Override
        public AsyncPlan<Integer> upsert(List<EmbeddedChunk> chunks) {
            return index.upsert(chunks);
        }

        @Override
        public AsyncPlan<Long> commit(Checkpoint checkpoint) {
            return index.commit(checkpoint).map(sequence -> {
                onCommit.accept(checkpoint);
                return sequence;
            });
        }

        @Override
        public AsyncPlan<Optional<Checkpoint>> checkpoint(String key) {
            return index.checkpoint(key);
        }

        @Override
        public AsyncPlan<List<SearchHit>> search(float[] vector, int k) {
            return index.search(vector, k);
        }

        @Override
        public long count() {
            return index.count();
        }

        @Override
        public void close() {
            index.close();
        }
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
