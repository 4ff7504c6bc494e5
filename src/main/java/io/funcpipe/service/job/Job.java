package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.function.LongSupplier;

import io.funcpipe.core.policy.WeightedGate;
import io.funcpipe.rag.Checkpoint;
import io.funcpipe.rag.CheckpointTracker;
import io.funcpipe.rag.IngestCounters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/**
 * One job as the supervisor tracks it. Confined to the supervisor's context: every field is read
 * and written there only (the run's counters and errors are thread-safe on their own).
 */
final class Job {

    final String id;
    /** The spec as read; null only for an ended job restored from the ledger whose spec no longer reads. */
    final JobSpec spec;
    /** The spec as the client sent it: what the ledger keeps, and what a restart reads again. */
    final JsonObject specJson;
    final Instant submittedAt;
    /** How often the job was resumed after its supervisor stopped or died while it ran. */
    int resumes;
    /** The checkpoint of the job's last commit (restored from the ledger, then each commit's), or null. */
    volatile Checkpoint committed;
    /** Which records are done in this run, from the checkpoint it started at; set once bound. */
    CheckpointTracker tracker;
    /** Set while the job waits for a stage that no node hosts ("waiting for stage embed"), else null. */
    String waiting;
    /** The timer that retries binding while the job waits for a stage, or -1. */
    long waitTimer = -1;
    /** The supervisor is stopping: the job stops at a checkpoint and stays resumable (RUNNING in the ledger). */
    boolean suspending;
    private final Promise<Void> ended = Promise.promise();
    JobState state = JobState.QUEUED;
    Instant startedAt;
    Instant endedAt;
    /** Why the job failed, or what went wrong while it ended (a failed commit after a cancel); null if nothing. */
    String error;
    boolean cancelRequested;
    /** Committing, closing the errors log or releasing failed while the job ended: it cannot count as SUCCEEDED. */
    boolean endingFailed;
    /** The periodic progress timer while the job runs, or -1. */
    long progressTimer = -1;
    /** Item counts already added to the metrics (see {@link JobMetrics#items}). */
    final long[] itemsReported = JobMetrics.noItems();
    /** Set once the stages are bound; the bound stages stay referenced only until they are released. */
    BoundJob bound;
    JobRun run;
    /** The input's size when the source knows it, else -1 (a remote source learns it when its session opens). */
    LongSupplier totalBytes = () -> -1;
    /** The embedder's name and truncations, for the report; kept after the stages are released. */
    io.funcpipe.rag.Embedder embedder;
    /** Where the index is, for the report. */
    String indexLocation;
    LongSupplier bytesRead = () -> 0;
    /** The gate's view of the job when it ended (the gate forgets a job that has left). */
    WeightedGate.JobShare finalShare;
    /** The ingest report once the job has ended after running; null otherwise. */
    JsonObject report;
    /** The status once the job has ended: frozen, so every later status and the final event agree. */
    JsonObject finalStatus;

    Job(String id, JobSpec spec, JsonObject specJson, Instant submittedAt) {
        this.id = requireNonNull(id, "id");
        this.spec = spec;
        this.specJson = requireNonNull(specJson, "specJson");
        this.submittedAt = requireNonNull(submittedAt, "submittedAt");
    }

    /** Completes when the job has ended and everything it held is released. */
    Future<Void> ended() {
        return ended.future();
    }

    void markEnded() {
        ended.complete();
    }

    /** Adds a sentence to {@link #error}. */
    void addError(String sentence) {
        error = error == null ? sentence : error + "; " + sentence;
    }

    IngestCounters counters() {
        return run == null ? EMPTY : run.counters();
    }

    private static final IngestCounters EMPTY = new IngestCounters();
}
