package io.funcpipe.service.client;

import java.util.List;
import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The job API as a client sees it, whether it joined the cluster's event bus or talks to a
 * service's SockJS bridge. Bodies are the JSON documented in docs/job-api.md; failures are
 * {@code ReplyException}s carrying the service's code (400 invalid spec, 404 unknown job, 503
 * shutting down) and message.
 */
public interface JobApi extends AutoCloseable {

    /** Submits a job spec; completes with the job's id. */
    Future<String> submit(JsonObject spec);

    /** The job's status. */
    Future<JsonObject> status(String id);

    /** Cancels the job; completes with its status. */
    Future<JsonObject> cancel(String id);

    /** Every job the service knows, newest first. */
    Future<List<JsonObject>> list();

    /**
     * Passes the job's progress events to {@code onProgress} until it ends; completes with the
     * final event ({@code "final": true}, the state and, for a job that ran, the report). A job
     * that ended before the subscription took effect is answered from its status.
     */
    Future<JsonObject> follow(String id, Consumer<JsonObject> onProgress);

    @Override
    void close();
}
