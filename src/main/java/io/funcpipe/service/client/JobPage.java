package io.funcpipe.service.client;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalInt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One page of {@code funcpipe.jobs.list}: the statuses of jobs {@code offset} to
 * {@code offset + jobs.size() - 1} of {@code total}, newest first, and where the next page starts
 * (empty on the last page). See docs/job-api.md.
 */
public record JobPage(List<JsonObject> jobs, int offset, int total, OptionalInt nextOffset) {

    /** The largest page the service returns; a larger limit is refused. */
    public static final int MAX_LIMIT = 1000;
    /** The page size when a request gives none. */
    public static final int DEFAULT_LIMIT = 100;

    public JobPage {
        jobs = List.copyOf(requireNonNull(jobs, "jobs"));
        requireNonNull(nextOffset, "nextOffset");
    }

    /** The request body for a page. */
    public static JsonObject request(int offset, int limit) {
        return new JsonObject().put("offset", offset).put("limit", limit);
    }

    /** Reads a reply; a reply without paging fields (an older service) is one page holding every job. */
    public static JobPage of(JsonObject reply) {
        JsonArray jobs = reply.getJsonArray("jobs", new JsonArray());
        List<JsonObject> statuses = jobs.stream().map(JsonObject.class::cast).toList();
        int offset = reply.getInteger("offset", 0);
        int total = reply.getInteger("total", offset + statuses.size());
        Integer next = reply.getInteger("nextOffset");
        return new JobPage(statuses, offset, total, next == null ? OptionalInt.empty() : OptionalInt.of(next));
    }

    /** The reply body. */
    public JsonObject toJson() {
        return new JsonObject().put("jobs", new JsonArray(jobs)).put("offset", offset).put("total", total)
                .put("nextOffset", nextOffset.isPresent() ? nextOffset.getAsInt() : null);
    }
}
