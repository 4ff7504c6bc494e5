package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.function.LongSupplier;

import io.funcpipe.rag.Checkpoint;
import io.funcpipe.rag.CheckpointTracker;
import io.funcpipe.rag.Embedder;
import io.funcpipe.rag.IngestCounters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/**
 * One job as the supervisor tracks it: what it is (id, spec, when it was submitted), what outlives
 * a restart (resumes, a requested cancel, the last committed checkpoint, its error), and where it
 * is now, its {@link Phase}. Confined to the supervisor's context: every field is read and written
 * there only (the run's counters and errors are thread-safe on their own; {@link #committed} is
 * also set from the index's commits).
 */
final class Job {

    /** Where a job is in its life, each phase with what the job holds then. */
    sealed interface Phase permits Queued, Binding, Waiting, Running, Ended {
    }

    /** In the queue, waiting for a slot ({@code maxRunning}) and for its index to be free. */
    record Queued() implements Phase {
    }

    /** Binding its stages and reading its checkpoint; {@code bound} once the stages are bound, else null. */
    record Binding(BoundJob bound) implements Phase {
    }

    /** No node hosts {@code stage} now: binding again when {@code timer} fires. */
    record Waiting(String stage, long timer) implements Phase {
    }

    /**
     * Streaming, then committing and releasing.
     *
     * @param attempt       this run over the inputs (kept for the report after the stages are released)
     * @param bound         the bound stages, null once released
     * @param progressTimer the periodic progress timer, or -1 once the stream has ended
     */
    record Running(Attempt attempt, BoundJob bound, long progressTimer) implements Phase {
    }

    /** Over: {@code status} is frozen, so every later status and the final event agree. */
    record Ended(JobState state, Instant at, JsonObject status) implements Phase {
    }

    /**
     * One run of the job over its inputs, from a checkpoint.
     *
     * @param run     the subscribed stream, its counters and its errors log
     * @param tracker which records are done, from the checkpoint the attempt started at
     * @param embedder the embedder, for the report's name and truncations
     * @param index   where the index is, for the report
     * @param bytesRead  input bytes read so far
     * @param totalBytes the input's size when known, else -1
     */
    record Attempt(JobRun run, CheckpointTracker tracker, Embedder embedder, String index, LongSupplier bytesRead,
                   LongSupplier totalBytes) {
    }

    final String id;
    /** The spec as read; null only for an ended job restored from the ledger (its spec is not read again). */
    final JobSpec spec;
    /** The spec as written to the ledger, and read again after a restart. */
    final JsonObject specJson;
    final Instant submittedAt;
    /**
     * The principal that submitted the job ({@link Caller#principal()}): only it and admins may see,
     * follow or cancel it. Null for a job recorded before jobs had owners: admins only.
     */
    final String owner;
    /** Item counts already added to the metrics (see {@link JobMetrics#items}). */
    final long[] itemsReported = JobMetrics.noItems();
    private final Promise<Void> ended = Promise.promise();

    Phase phase = new Queued();
    Instant startedAt;
    /** How often the job was resumed after its supervisor stopped or died while it ran. */
    int resumes;
    boolean cancelRequested;
    /** The supervisor is stopping: the job stops at a checkpoint and stays resumable (RUNNING in the ledger). */
    boolean suspending;
    /** Committing, closing the errors log or releasing failed while the job ended: it cannot count as SUCCEEDED. */
    boolean endingFailed;
    /** Why the job failed, or what went wrong while it ended; null if nothing. */
    String error;
    /** The checkpoint of the job's last commit (from the ledger, then from each commit), or null. */
    volatile Checkpoint committed;

    Job(String id, JobSpec spec, JsonObject specJson, Instant submittedAt) {
        this(id, spec, specJson, submittedAt, Caller.INTERNAL.principal());
    }

    Job(String id, JobSpec spec, JsonObject specJson, Instant submittedAt, String owner) {
        this.owner = owner;
        this.id = requireNonNull(id, "id");
        this.spec = spec;
        this.specJson = requireNonNull(specJson, "specJson");
        this.submittedAt = requireNonNull(submittedAt, "submittedAt");
    }

    /** The state the job API shows: binding, waiting and running are all {@code RUNNING}. */
    JobState state() {
        return switch (phase) {
            case Queued queued -> JobState.QUEUED;
            case Binding binding -> JobState.RUNNING;
            case Waiting waiting -> JobState.RUNNING;
            case Running running -> JobState.RUNNING;
            case Ended(JobState state, Instant at, JsonObject status) -> state;
        };
    }

    /** The current attempt while the job runs, else null (an ended job's status is frozen). */
    Attempt attempt() {
        return phase instanceof Running running ? running.attempt() : null;
    }

    /** What the status says the job waits for, or null. */
    String waiting() {
        return phase instanceof Waiting(String stage, long timer) ? "waiting for stage " + stage : null;
    }

    IngestCounters counters() {
        Attempt attempt = attempt();
        return attempt == null ? EMPTY : attempt.run().counters();
    }

    /** Completes when the job has ended (or been suspended) and everything it held is released. */
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

    private static final IngestCounters EMPTY = new IngestCounters();
}
