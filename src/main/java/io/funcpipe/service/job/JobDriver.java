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
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.funcpipe.adapters.report.ErrorLog;
import io.funcpipe.adapters.report.ReportJson;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.rag.SyncOptions;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.policy.PolicyInterpreter;
import io.funcpipe.core.policy.WeightedGate;
import io.funcpipe.rag.Checkpoint;
import io.funcpipe.rag.CheckpointTracker;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.IngestPipeline;
import io.funcpipe.rag.IngestReport;
import io.funcpipe.rag.IngestStages;
import io.funcpipe.rag.SearchHit;
import io.funcpipe.rag.VectorIndex;
import io.funcpipe.service.job.Job.Attempt;
import io.funcpipe.service.job.Job.Binding;
import io.funcpipe.service.job.Job.Ended;
import io.funcpipe.service.job.Job.Queued;
import io.funcpipe.service.job.Job.Running;
import io.funcpipe.service.job.Job.Waiting;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Drives jobs through their phases ({@link Job.Phase}) on the supervisor's context:
 * {@code Queued -> Binding} (bind the stages; {@code Waiting} while a stage has no node; read the
 * job's checkpoint from its index) {@code -> Running} (open the errors log, subscribe the pipeline
 * from the checkpoint, publish progress; at the end commit the index with the checkpoint, close the
 * log, release the binding) {@code -> Ended} (report, final event, slot freed, next job started).
 * Every change of state is written to the {@link JobLedger} first. On shutdown a running job is
 * suspended instead of ended: it stops at a committed checkpoint and stays RUNNING in the ledger,
 * so the next supervisor on the same index volume resumes it. Futures from binders and blocking
 * calls are brought back to the context before they touch a job.
 */
final class JobDriver {

    private static final System.Logger LOG = System.getLogger(JobDriver.class.getName());
    private static final Executor WORKERS = Infrastructure.getDefaultWorkerPool();
    /** How often a job that waits for a stage tries to bind again. */
    private static final Duration WAIT_RETRY = Duration.ofSeconds(1);

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
        this.vertx = vertx;
        this.context = context;
        this.options = options;
        this.binder = binder;
        this.gate = gate;
        this.jobs = jobs;
        this.metrics = metrics;
        this.accepting = accepting;
        this.ledger = ledger;
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
     * Cancels the job: a queued or waiting job ends at once; a running one has its stream cancelled
     * (or, while it binds, is released as soon as it is bound) and ends when everything is released.
     * The request is in the ledger first, so it sticks across a restart. Nothing happens to a job
     * that has ended. {@link Job#ended()} tells when it is over.
     */
    void cancel(Job job) {
        if (job.phase instanceof Ended) {
            return;
        }
        job.cancelRequested = true;
        switch (job.phase) {
            case Queued queued -> conclude(job, JobState.CANCELLED);
            case Waiting(String stage, long timer) -> {
                vertx.cancelTimer(timer);
                conclude(job, JobState.CANCELLED);
            }
            case Running running -> {
                record(job);
                running.attempt().run().cancel();
            }
            case Binding binding -> record(job); // ends once bound (see bound())
            case Ended ended -> { }
        }
    }

    /** A queued job that cannot run (its {@link Job#error} says why) ends FAILED. */
    void fail(Job job) {
        conclude(job, JobState.FAILED);
    }

    /**
     * The supervisor stops: the job stops at a checkpoint (committed with the index) and stays
     * RUNNING in the ledger, to be resumed by the next supervisor. {@link Job#ended()} tells when
     * everything it held is released. Queued and ended jobs are left as they are.
     */
    void suspend(Job job) {
        if (job.suspending) {
            return;
        }
        switch (job.phase) {
            case Queued queued -> { }
            case Ended ended -> { }
            case Waiting(String stage, long timer) -> {
                job.suspending = true;
                vertx.cancelTimer(timer);
                suspended(job);
            }
            case Running running -> {
                job.suspending = true;
                running.attempt().run().cancel();
            }
            case Binding binding -> job.suspending = true; // suspended once bound (see bound())
        }
    }

    /** Records the job's entry in the ledger, in order with its other writes; a failure is logged and returned. */
    Future<Void> record(Job job) {
        JsonObject entry = JobEntry.of(job);
        return here(vertx.<Void>executeBlocking(() -> {
            ledger.write(entry);
            return null;
        }, true)).onFailure(e -> LOG.log(Level.ERROR, "job {0}: {1}", job.id, message(e)));
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

    // ---------------------------------------------------------------- Queued -> Binding -> Running

    private void start(Job job) {
        job.phase = new Binding(null);
        if (job.startedAt == null) {
            job.startedAt = Instant.now();
        }
        LOG.log(Level.INFO, "job {0} {1}: {2} into index {3}", job.id, job.resumes > 0
                ? "resumes (resume " + job.resumes + ")" : "starts", job.spec.sources(), job.spec.index());
        PolicyInterpreter policy = PolicyInterpreter.of(job.spec.policies());
        UnaryOperator<AsyncPlan<List<float[]>>> guard = call -> policy.retry(policy.limit(
                gate.guard(job.id, job.spec.weight(), policy.timeout(call))));
        record(job).onComplete(ignored -> bind(job, policy, guard, Instant.now()));
    }

    /** Binds the job's stages; while a stage it needs has no node, waits and tries again, up to {@code stageWait}. */
    private void bind(Job job, PolicyInterpreter policy, UnaryOperator<AsyncPlan<List<float[]>>> guard, Instant since) {
        if (stopped(job)) {
            return;
        }
        String waitedFor = job.waiting();
        job.phase = new Binding(null);
        Future<BoundJob> binding;
        try {
            binding = requireNonNull(binder.bind(job.id, job.spec, guard), "the stage binder returned no future");
        } catch (RuntimeException e) {
            binding = Future.failedFuture(e);
        }
        here(binding).onComplete(bound -> {
            if (bound.succeeded()) {
                readCheckpoint(job, bound.result(), policy);
                return;
            }
            Duration waited = Duration.between(since, Instant.now());
            if (bound.cause() instanceof StageBinder.StageUnavailable missing && waited.compareTo(options.stageWait()) < 0
                    && !job.cancelRequested && !job.suspending) {
                if (waitedFor == null) {
                    LOG.log(Level.WARNING, "job {0} waits for stage {1} (up to {2}): {3}", job.id, missing.stage(),
                            options.stageWait(), missing.getMessage());
                }
                long delay = Math.max(1, Math.min(WAIT_RETRY.toMillis(), options.stageWait().minus(waited).toMillis()));
                job.phase = new Waiting(missing.stage(), vertx.setTimer(delay, ignored -> bind(job, policy, guard, since)));
                progress(job);
                return;
            }
            if (stopped(job)) {
                return;
            }
            job.addError("could not bind the job's stages" + (waitedFor == null ? "" : " (after " + waitedFor + " for "
                    + options.stageWait() + ")") + ": " + message(bound.cause()));
            conclude(job, JobState.FAILED);
        });
    }

    /** A cancel or a suspension that came while the job held nothing: ends or suspends it; whether it did. */
    private boolean stopped(Job job) {
        if (job.suspending) {
            suspended(job);
        } else if (job.cancelRequested) {
            conclude(job, JobState.CANCELLED);
        } else {
            return false;
        }
        return true;
    }

    /** Reads the job's checkpoint from its index (a resumed job continues there), then runs. */
    private void readCheckpoint(Job job, BoundJob bound, PolicyInterpreter policy) {
        job.phase = new Binding(bound);
        AsyncPlan<Optional<Checkpoint>> read = bound.stages().index().checkpoint(job.id);
        here(Future.fromCompletionStage(read.open().subscribeAsCompletionStage())).onComplete(found -> {
            if (found.succeeded() && found.result() instanceof Ok<Optional<Checkpoint>>(Optional<Checkpoint> checkpoint)) {
                Checkpoint base = checkpoint.orElse(Checkpoint.start(job.id));
                if (!base.atStart()) {
                    LOG.log(Level.INFO, "job {0} continues after record {1} ({2} chunks indexed before)", job.id,
                            base.docs(), base.chunksIndexed());
                    job.committed = base;
                }
                bound(job, bound, policy, new CheckpointTracker(base, Clock.systemUTC()));
            } else {
                job.addError("could not read the job's checkpoint from its index: " + (found.failed()
                        ? message(found.cause()) : ((Err<?>) found.result()).error().message()));
                release(job, bound).onComplete(ignored -> conclude(job, JobState.FAILED));
            }
        });
    }

    private void bound(Job job, BoundJob bound, PolicyInterpreter policy, CheckpointTracker tracker) {
        if (job.cancelRequested || job.suspending) {
            release(job, bound).onComplete(ignored -> stopped(job));
            return;
        }
        Path log = options.indexRoot().resolve(job.spec.index()).resolve("errors.jsonl");
        here(vertx.executeBlocking(() -> ErrorLog.create(log), false)).onComplete(opened -> {
            if (opened.failed()) {
                job.addError("could not create the errors log " + log + ": " + message(opened.cause()));
                release(job, bound).onComplete(ignored -> conclude(job, JobState.FAILED));
                return;
            }
            JobRun run = new JobRun(new IngestCounters(), new JobErrors(job.id, opened.result()), context);
            Attempt attempt = new Attempt(run, tracker, bound.stages().embedder(), bound.index(), bound.bytesRead(),
                    bound.totalBytes());
            job.phase = new Running(attempt, bound, -1);
            run.end().onComplete(end -> finish(job, end.result()));
            if (job.cancelRequested || job.suspending) {
                run.cancel();
                return;
            }
            IngestStages stages = bound.stages();
            IngestStages watched = new IngestStages(stages.source(), stages.preparation(), stages.embedder(),
                    new CommitWatch(stages.index(), committed -> {
                        job.committed = committed;
                        context.runOnContext(ignored -> record(job));
                    }));
            SyncOptions sync = new SyncOptions(job.spec.sync(), new ChunkerOptions(job.spec.chunking().maxTokens(),
                    job.spec.chunking().overlap()).label(), job.spec.sources().stream().map(Sources::root).toList());
            AsyncGen<Chunk> stream = policy.deadline(IngestPipeline.describe(watched, options.ingest(), sync,
                    run.counters(), tracker));
            run.start(stream, WORKERS);
            job.phase = new Running(attempt, bound,
                    vertx.setPeriodic(options.progressInterval().toMillis(), ignored -> progress(job)));
        });
    }

    private void progress(Job job) {
        if (job.phase instanceof Running running) {
            metrics.items(running.attempt().run().counters(), job.itemsReported);
        }
        if (job.state() == JobState.RUNNING) {
            vertx.eventBus().publish(JobAddresses.progress(job.id), status(job).put("final", false));
        }
    }

    // ---------------------------------------------------------------- Running -> Ended (or suspended)

    /** The stream has ended: decide the state, then commit, close the log, release, and conclude (or suspend). */
    private void finish(Job job, JobRun.End end) {
        Running running = (Running) job.phase;
        if (running.progressTimer() != -1) {
            vertx.cancelTimer(running.progressTimer());
        }
        job.phase = new Running(running.attempt(), running.bound(), -1);
        Attempt attempt = running.attempt();
        boolean suspend = job.suspending && end instanceof JobRun.Cancelled;
        JobState state = switch (end) {
            case JobRun.Cancelled cancelled -> JobState.CANCELLED;
            case JobRun.Failed(Throwable failure) -> {
                job.addError("the job's stream failed: " + message(failure));
                yield JobState.FAILED;
            }
            case JobRun.Completed completed -> {
                ErrInfo own = attempt.run().jobError();
                if (own != null) {
                    job.addError(own.message());
                    yield JobState.FAILED;
                }
                yield JobState.SUCCEEDED;
            }
        };
        Future<Void> committed = attempt.run().started() ? commit(job, running.bound(), attempt) : Future.succeededFuture();
        committed.compose(ignored -> closeLog(job, attempt))
                .compose(ignored -> release(job, running.bound()))
                .onComplete(ignored -> {
                    if (suspend) {
                        suspended(job);
                    } else {
                        conclude(job, state == JobState.SUCCEEDED && job.endingFailed ? JobState.FAILED : state);
                    }
                });
    }

    /**
     * Commits the index with the job's checkpoint (after a completed stream the final commit has
     * done it already; after a cancel or a suspension it keeps what was indexed and where to go on).
     */
    private Future<Void> commit(Job job, BoundJob bound, Attempt attempt) {
        // an index write in flight at a cancel or suspension ends and is counted before the
        // checkpoint is taken (a write still running after a minute is left out of it)
        Future<Void> quiet = Future.fromCompletionStage(attempt.tracker().quiescent()
                .orTimeout(60, java.util.concurrent.TimeUnit.SECONDS));
        return here(quiet).transform(ignored -> commitNow(job, bound, attempt));
    }

    private Future<Void> commitNow(Job job, BoundJob bound, Attempt attempt) {
        Checkpoint checkpoint = attempt.tracker().current();
        AsyncPlan<Long> commit = bound.stages().index().commit(checkpoint);
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

    private Future<Void> closeLog(Job job, Attempt attempt) {
        JobErrors errors = attempt.run().errors();
        return here(vertx.<Void>executeBlocking(() -> {
            errors.close();
            return null;
        }, false)).recover(e -> {
            endingFailed(job, "closing the errors log " + errors.file() + " failed: " + message(e));
            return Future.succeededFuture();
        });
    }

    /** Releases the binding once (a running job's phase forgets it); a failure is recorded on the job, never lost. */
    private Future<Void> release(Job job, BoundJob bound) {
        if (bound == null) {
            return Future.succeededFuture();
        }
        if (job.phase instanceof Running running) {
            job.phase = new Running(running.attempt(), null, running.progressTimer());
        } else if (job.phase instanceof Binding) {
            job.phase = new Binding(null);
        }
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

    /** The job is over: report, ledger, metrics, final event, slot freed, next job started. */
    private void conclude(Job job, JobState state) {
        Instant now = Instant.now();
        Attempt attempt = job.attempt();
        JsonObject report = null;
        if (attempt != null && attempt.run().started()) {
            JobRun run = attempt.run();
            IngestReport counted = IngestReport.of(run.counters(), run.seconds(), attempt.embedder())
                    .resumedFrom(attempt.tracker().base());
            report = new JsonObject(ReportJson.write(counted, attempt.index(), run.errors().file().toString()));
            metrics.items(run.counters(), job.itemsReported);
        }
        JsonObject status = JobStatusJson.ended(job, gate.share(job.id), state, now, report);
        gate.leave(job.id);
        job.phase = new Ended(state, now, status);
        metrics.ended(state);
        List<Job> forgotten = jobs.isActive(job) ? jobs.finished(job) : jobs.dequeue(job);
        metrics.jobs(jobs.activeCount(), jobs.queuedCount());
        LOG.log(state == JobState.FAILED ? Level.WARNING : Level.INFO, "job {0} ended {1}{2}", job.id, state,
                job.error == null ? "" : ": " + job.error);
        record(job).onComplete(ignored -> {
            forget(forgotten);
            vertx.eventBus().publish(JobAddresses.progress(job.id), status.copy().put("final", true));
            job.markEnded();
        });
        schedule();
    }

    private void endingFailed(Job job, String sentence) {
        job.endingFailed = true;
        job.addError(sentence);
    }

    /** The job's index, telling {@code onCommit} of each checkpoint that a commit made durable. */
    private record CommitWatch(VectorIndex index, Consumer<Checkpoint> onCommit) implements VectorIndex {
        @Override
        public AsyncPlan<Integer> upsert(List<EmbeddedChunk> chunks) {
            return index.upsert(chunks);
        }

        @Override
        public AsyncPlan<Integer> write(List<io.funcpipe.rag.DocumentWrite> docs, boolean replace) {
            return index.write(docs, replace);
        }

        @Override
        public AsyncPlan<java.util.Map<String, io.funcpipe.rag.DocumentRecord>> documents(java.util.Collection<String> ids) {
            return index.documents(ids);
        }

        @Override
        public AsyncPlan<java.util.Map<String, float[]>> vectors(java.util.Collection<String> textHashes) {
            return index.vectors(textHashes);
        }

        @Override
        public AsyncPlan<io.funcpipe.rag.Deletion> delete(java.util.Collection<String> ids) {
            return index.delete(ids);
        }

        @Override
        public AsyncPlan<io.funcpipe.rag.Deletion> deleteUnseen(java.util.Collection<String> roots, java.util.Set<String> seen) {
            return index.deleteUnseen(roots, seen);
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
