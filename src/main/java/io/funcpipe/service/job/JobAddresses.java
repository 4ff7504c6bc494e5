package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

/**
 * The event-bus addresses of the job API (JSON bodies; see docs/job-api.md), and the failure
 * codes of its replies.
 */
public final class JobAddresses {

    /** Body: a job spec; reply {@code {"id": ...}}. */
    public static final String SUBMIT = "funcpipe.jobs.submit";
    /** Body {@code {"id": ...}}; reply: the job's status. */
    public static final String STATUS = "funcpipe.jobs.status";
    /** Body {@code {"id": ...}}; reply: the job's status once it has ended. */
    public static final String CANCEL = "funcpipe.jobs.cancel";
    /** Body {@code {}}; reply {@code {"jobs": [status, ...]}}, newest first. */
    public static final String LIST = "funcpipe.jobs.list";

    /** The request was wrong (an invalid spec, a missing id): the message says what to fix. */
    public static final int BAD_REQUEST = 400;
    /** The caller may not do this (an index limited to roles it does not hold). */
    public static final int FORBIDDEN = 403;
    /** No job has this id (or it ended long ago and was forgotten). */
    public static final int NOT_FOUND = 404;
    /** The supervisor failed unexpectedly while answering. */
    public static final int INTERNAL_ERROR = 500;
    /** The supervisor is shutting down and takes no new job. */
    public static final int UNAVAILABLE = 503;

    private JobAddresses() {
    }

    /** Where job {@code id}'s progress events are published. */
    public static String progress(String id) {
        return "funcpipe.jobs." + requireNonNull(id, "id") + ".progress";
    }
}
