package io.funcpipe.service.job;

/**
 * Where a job is in its life: {@code QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED}, or
 * {@code QUEUED -> CANCELLED}. The last three are final.
 */
public enum JobState {
    /** Accepted, waiting for a free slot ({@code maxRunning}) and for its index to be free. */
    QUEUED,
    /** Binding its stages, running, or ending (committing and releasing). */
    RUNNING,
    /** Its stream completed and its index was committed; failed items, if any, are in the report and the errors log. */
    SUCCEEDED,
    /** It could not bind its stages, its stream failed or ran past {@code timeout.perStream}, or committing or releasing failed. */
    FAILED,
    /** Cancelled by a client or by the supervisor's shutdown; what was indexed before is committed. */
    CANCELLED;

    /** Whether the job has ended (nothing about it changes any more). */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
