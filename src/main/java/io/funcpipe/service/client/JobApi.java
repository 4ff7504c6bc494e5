package io.funcpipe.service.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The job API as a client sees it, whether it joined the cluster's event bus or talks to a
 * service's SockJS bridge. Bodies are the JSON documented in docs/job-api.md; failures are
 * {@code ReplyException}s carrying the service's code (400 invalid spec, 404 unknown job, 503
 * shutting down) and message, or, when no reply came within the request timeout, a
 * {@code TIMEOUT} one naming the address and where the service was looked for.
 */
public interface JobApi extends AutoCloseable {

    /** Submits a job spec; completes with the job's id. */
    Future<String> submit(JsonObject spec);

    /** The job's status. */
    Future<JsonObject> status(String id);

    /** Cancels the job; completes with its status. */
    Future<JsonObject> cancel(String id);

    /** One page of the jobs the service knows, newest first ({@code limit} 1 to {@link JobPage#MAX_LIMIT}). */
    Future<JobPage> list(int offset, int limit);

    /**
     * Every job the service knows, newest first, read page by page ({@link JobPage#DEFAULT_LIMIT}
     * a page). A job the service lists twice (jobs submitted while the pages were read shift the
     * later pages) is kept once.
     */
    default Future<List<JsonObject>> list() {
        return listFrom(0, new LinkedHashMap<>());
    }

    private Future<List<JsonObject>> listFrom(int offset, Map<String, JsonObject> seen) {
        return list(offset, JobPage.DEFAULT_LIMIT).compose(page -> {
            page.jobs().forEach(job -> seen.putIfAbsent(job.getString("id"), job));
            if (page.nextOffset().isEmpty() || page.jobs().isEmpty()) {
                return Future.succeededFuture(new ArrayList<>(seen.values()));
            }
            return listFrom(page.nextOffset().getAsInt(), seen);
        });
    }

    /**
     * Passes the job's progress events to {@code onProgress} until it ends; completes with the
     * final event ({@code "final": true}, the state and, for a job that ran, the report). A job
     * that ended before the subscription took effect is answered from its status. Follows through
     * a lost connection or a restart of the service, for up to {@link ClientOptions#reconnectFor()}.
     */
    Future<JsonObject> follow(String id, Consumer<JsonObject> onProgress);

    @Override
    void close();
}
