package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.funcpipe.service.job.JobAddresses;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * An error answer of the REST API: an HTTP status and the body {@code {"error": "...", "field": "..."}}
 * ({@code field} is the JSON path of the bad field, {@code ""} when the request as a whole is wrong,
 * absent when no field is to blame). An invalid job spec adds {@code "problems": [{"field", "message"}]}.
 */
record ApiError(int status, String error, String field, JsonArray problems) {

    /** A line of the supervisor's invalid-spec reply: "- " and a message that starts with its field. */
    private static final Pattern PROBLEM = Pattern.compile("^- (([A-Za-z_][A-Za-z0-9_.\\-\\[\\]]*)[: ].*)$", Pattern.MULTILINE);

    ApiError {
        requireNonNull(error, "error");
    }

    static ApiError of(int status, String error, String field) {
        return new ApiError(status, error, field, null);
    }

    /**
     * The answer to a failed job-API request on the bus: its failure code (400, 404, 503) as the status,
     * the supervisor's message as the error; no supervisor or no reply in time is a 503 or 504 saying
     * what to check.
     */
    static ApiError fromBus(Throwable failure, String address) {
        if (failure instanceof ReplyException reply) {
            if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
                return of(503, "no supervisor answers " + address + ": the node hosting the index stage is not running "
                        + "or not ready; check GET /health/ready", null);
            }
            if (reply.failureType() == ReplyFailure.TIMEOUT) {
                return of(504, "no reply to " + address + " in time; check that the supervisor runs (GET /health/ready)", null);
            }
            int code = reply.failureCode();
            String message = String.valueOf(reply.getMessage());
            if (code == JobAddresses.BAD_REQUEST) {
                return badRequest(message);
            }
            return of(code == JobAddresses.NOT_FOUND || code == JobAddresses.UNAVAILABLE ? code : 500, message, null);
        }
        return of(500, address + " failed: " + failure, null);
    }

    /** A 400 from the supervisor: every problem line names its field first; the first one is {@code field}. */
    private static ApiError badRequest(String message) {
        JsonArray problems = new JsonArray();
        Matcher m = PROBLEM.matcher(message);
        while (m.find()) {
            problems.add(new JsonObject().put("field", m.group(2)).put("message", m.group(1)));
        }
        if (problems.isEmpty()) {
            return of(400, message, fieldOf(message));
        }
        return new ApiError(400, message, problems.getJsonObject(0).getString("field"), problems);
    }

    /** The field a one-line refusal names ({@code limit must be ...} names {@code limit}), else "". */
    private static String fieldOf(String message) {
        Matcher m = Pattern.compile("^(offset|limit|id)\\b").matcher(message);
        return m.find() ? m.group(1) : "";
    }

    JsonObject json() {
        JsonObject body = new JsonObject().put("error", error);
        if (field != null) {
            body.put("field", field);
        }
        if (problems != null) {
            body.put("problems", problems);
        }
        return body;
    }

    /** Ends the request with this error. */
    void send(RoutingContext rc) {
        if (rc.response().headWritten()) {
            rc.response().reset();
            return;
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json().encode());
    }
}
