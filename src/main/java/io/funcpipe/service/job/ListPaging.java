package io.funcpipe.service.job;

import java.util.List;
import java.util.OptionalInt;

import io.funcpipe.service.client.JobPage;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * The paging of {@value JobAddresses#LIST}: {@code offset} (default 0) and {@code limit} (default
 * {@value JobPage#DEFAULT_LIMIT}, at most {@value JobPage#MAX_LIMIT}) from the request body, the
 * page of the newest-first list as the reply, with {@code total} and {@code nextOffset} (null on
 * the last page). A bad value is answered with a 400 naming it.
 */
record ListPaging(int offset, int limit) {

    /** The paging the request asks for, or null (after a 400 reply) when it is not valid. */
    static ListPaging of(Message<Object> message) {
        JsonObject body = JobMessages.object(message, "{} or {\"offset\": 0, \"limit\": " + JobPage.DEFAULT_LIMIT + "}",
                new JsonObject());
        if (body == null) {
            return null;
        }
        Integer offset = whole(message, body, "offset", 0, 0, Integer.MAX_VALUE);
        Integer limit = offset == null ? null : whole(message, body, "limit", JobPage.DEFAULT_LIMIT, 1, JobPage.MAX_LIMIT);
        return limit == null ? null : new ListPaging(offset, limit);
    }

    /** This page of {@code all} (newest first). */
    <T> JobPage page(List<T> all, java.util.function.Function<T, JsonObject> status) {
        int from = Math.min(offset, all.size());
        int to = Math.min(all.size(), from + limit);
        List<JsonObject> jobs = all.subList(from, to).stream().map(status).toList();
        return new JobPage(jobs, offset, all.size(), to < all.size() ? OptionalInt.of(to) : OptionalInt.empty());
    }

    private static Integer whole(Message<Object> message, JsonObject body, String field, int orElse, int min, int max) {
        Object value = body.getValue(field);
        if (value == null) {
            return orElse;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() >= min
                && n.longValue() <= max) {
            return n.intValue();
        }
        message.fail(JobAddresses.BAD_REQUEST, field + " must be a whole number from " + min + " to " + max + ", got "
                + (value instanceof String text ? "\"" + text + "\"" : value));
        return null;
    }
}
