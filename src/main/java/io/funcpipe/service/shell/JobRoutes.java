package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import io.funcpipe.service.job.Caller;
import io.funcpipe.service.job.JobAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The job API over REST ({@code /v1/jobs}; see docs/job-api.md and {@code /openapi.yaml}), for clients that do
 * not speak the event bus. Every request becomes one message to the supervisor's job API
 * ({@link JobAddresses}), carrying the request's {@link Caller} in its headers; the supervisor is the only
 * job store. Progress is streamed by {@link JobEvents}.
 * <ul>
 *   <li>{@code POST /v1/jobs}: a job spec; 201 {@code {"id"}} with {@code Location};</li>
 *   <li>{@code GET /v1/jobs?offset=&limit=}: one page of statuses, newest first;</li>
 *   <li>{@code GET /v1/jobs/{id}}: the job's status;</li>
 *   <li>{@code DELETE /v1/jobs/{id}}: cancels the job; its status once it has ended;</li>
 *   <li>{@code GET /v1/jobs/{id}/events}: progress as Server-Sent Events.</li>
 * </ul>
 * Errors are {@link ApiError}s: 400 naming the field, 404 for an unknown job, 503/504 when no supervisor answers.
 */
public final class JobRoutes {

    /** How long a request waits for the supervisor's reply. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How long a cancel waits: the reply comes once the job has committed its index and released its stages. */
    static final Duration CANCEL_TIMEOUT = Duration.ofMinutes(2);

    private final Vertx vertx;

    private JobRoutes(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Mounts the routes on {@code router}; the caller must be in the context ({@link Caller#CONTEXT_KEY}) by then. */
    public static void mount(Router router, Vertx vertx) {
        requireNonNull(router, "router");
        JobRoutes routes = new JobRoutes(requireNonNull(vertx, "vertx"));
        router.post("/v1/jobs").handler(BodyHandler.create(false).setBodyLimit(JobBridge.MAX_MESSAGE_BYTES))
                .handler(routes::submit);
        router.get("/v1/jobs").handler(routes::list);
        router.get("/v1/jobs/:id").handler(routes::status);
        router.delete("/v1/jobs/:id").handler(routes::cancel);
        router.get("/v1/jobs/:id/events").handler(new JobEvents(vertx)::stream);
    }

    private void submit(RoutingContext rc) {
        JsonObject spec;
        try {
            spec = rc.body().isEmpty() ? null : rc.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            ApiError.of(400, "the body is not a JSON object (" + e.getMessage() + "); send a job spec such as "
                    + "{\"sources\": [\"docs/\"], \"index\": \"docs\"}", "").send(rc);
            return;
        }
        if (spec == null) {
            ApiError.of(400, "the body is empty; send a job spec such as {\"sources\": [\"docs/\"], \"index\": \"docs\"}", "")
                    .send(rc);
            return;
        }
        ask(rc, JobAddresses.SUBMIT, spec, REQUEST_TIMEOUT).onSuccess(reply -> {
            String id = reply.getString("id");
            rc.response().setStatusCode(201).putHeader("Location", "/v1/jobs/" + id)
                    .putHeader("Content-Type", "application/json").end(reply.encode());
        });
    }

    private void list(RoutingContext rc) {
        JsonObject request = new JsonObject();
        for (String name : new String[] {"offset", "limit"}) {
            String value = rc.queryParams().get(name);
            if (value == null) {
                continue;
            }
            try {
                request.put(name, Long.parseLong(value));
            } catch (NumberFormatException e) {
                ApiError.of(400, name + " must be a whole number, got \"" + value + "\"", name).send(rc);
                return;
            }
        }
        ask(rc, JobAddresses.LIST, request, REQUEST_TIMEOUT).onSuccess(page -> ok(rc, page));
    }

    private void status(RoutingContext rc) {
        ask(rc, JobAddresses.STATUS, new JsonObject().put("id", rc.pathParam("id")), REQUEST_TIMEOUT)
                .onSuccess(status -> ok(rc, status));
    }

    private void cancel(RoutingContext rc) {
        ask(rc, JobAddresses.CANCEL, new JsonObject().put("id", rc.pathParam("id")), CANCEL_TIMEOUT)
                .onSuccess(status -> ok(rc, status));
    }

    /**
     * Sends {@code body} to {@code address} as the request's caller; a failure is answered as an {@link ApiError}
     * (and the returned future never completes), so callers only handle the reply.
     */
    private Future<JsonObject> ask(RoutingContext rc, String address, JsonObject body, Duration timeout) {
        return request(vertx, rc, address, body, timeout);
    }

    /** One job-API request on behalf of the request's caller; see {@link #ask}. Shared with {@link JobEvents}. */
    static Future<JsonObject> request(Vertx vertx, RoutingContext rc, String address, JsonObject body, Duration timeout) {
        Caller caller = rc.get(Caller.CONTEXT_KEY);
        if (caller == null) {
            ApiError.of(500, "no authenticated caller for " + rc.request().path() + ": the authentication handler "
                    + "did not run before the job routes; this is a bug in the HTTP shell's set-up", null).send(rc);
            return Future.future(never -> { });
        }
        DeliveryOptions options = caller.writeTo(new DeliveryOptions().setSendTimeout(timeout.toMillis()));
        return Future.future(promise -> vertx.eventBus().<JsonObject>request(address, body, options)
                .onSuccess(reply -> promise.complete(reply.body()))
                .onFailure(e -> ApiError.fromBus(e, address).send(rc)));
    }

    private static void ok(RoutingContext rc, JsonObject body) {
        rc.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
}
