package io.funcpipe.service.job;

import java.util.List;
import java.util.function.UnaryOperator;

import io.funcpipe.core.AsyncPlan;
import io.vertx.core.Future;

/**
 * Binds a job's pipeline ports ({@code IngestStages}) to stages that run them: the service's
 * {@code BusStageBinder} binds them to the stage verticles over the event bus; the tests bind them
 * in process ({@code LocalStageBinder}). The supervisor calls
 * {@link #bind} once per job when the job starts, runs the pipeline over what it returns, and calls
 * {@link BoundJob#release()} once when the job has ended.
 */
@FunctionalInterface
public interface StageBinder {

    /**
     * Opens what the job needs (its source, its index, ...) and returns the bound stages.
     *
     * @param jobId      the job's id (for logs, and to key remote sessions)
     * @param spec       the validated spec: sources are absolute real paths under the input roots
     *                   or http(s) URLs; the index is a plain name
     * @param embedGuard wraps every embed call of the job: it waits for the job's share of the
     *                   service's embed capacity and applies the job's retry, timeout and rate-limit
     *                   policies. The binder must apply it to each call of its embedder, and to
     *                   nothing else; the guarded plan is a description, opened once per attempt.
     * @return the bound stages, or a failed future whose message says what could not be opened and
     *         how to fix it (the job then ends FAILED with that message). A binder that fails must
     *         have released whatever it opened. A failure with a {@link StageUnavailable} means a
     *         stage the job needs is hosted by no node now: the supervisor binds again later,
     *         while the job waits, up to its configured stage wait.
     */
    Future<BoundJob> bind(String jobId, JobSpec spec, UnaryOperator<AsyncPlan<List<float[]>>> embedGuard);

    /** No node hosts {@link #stage()} now (it may come: a node starting, a pod rescheduled). */
    final class StageUnavailable extends RuntimeException {
        private final String stage;

        public StageUnavailable(String stage, String message) {
            super(message, null, false, false);
            this.stage = java.util.Objects.requireNonNull(stage, "stage");
        }

        /** The stage's name, such as {@code embed}. */
        public String stage() {
            return stage;
        }
    }
}
