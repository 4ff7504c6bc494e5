package io.funcpipe.service.shell;

import java.time.Duration;

import io.funcpipe.service.bus.IndexAddresses;
import io.funcpipe.service.job.Caller;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The index API over HTTP, on every node: each request goes over the event bus to the node that
 * hosts the index stage ({@link IndexAddresses}) with the caller in its headers, and the reply, or
 * the failure's code and message, comes back as JSON:
 * <ul>
 *   <li>{@code GET /v1/indexes}: {@code {"indexes": [{"name", "chunks", "documents", "embedder", "dimensions", "lastCommit"}]}};</li>
 *   <li>{@code POST /v1/indexes/{name}/search} with {@code {"query", "vector", "k", "mode", "filter", "minScore"}}:
 *       {@code {"index", "mode", "hits": [{"score", "documentId", "chunkId", "location", "text", "metadata"}]}}.</li>
 * </ul>
 * Errors are {@code {"error": "...", "field": "..."}} ({@code field} on a 400 about one field):
 * 400 a bad request, 403 refused, 404 no such index, 500, 503 the index node or embedder unavailable,
 * 504 no answer within {@value #TIMEOUT_SECONDS} s.
 */
final class IndexRoutes {

    /** The largest search body taken (a 384-number vector is about 4 KiB). */
    static final long MAX_BODY_BYTES = 1024 * 1024;
    static final int TIMEOUT_SECONDS = 60;
    private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);

    private final Vertx vertx;

    private IndexRoutes(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Mounts the routes; the caller must already be in each request's context ({@link Caller#CONTEXT_KEY}). */
    static void mount(Router router, Vertx vertx) {
        IndexRoutes routes = new IndexRoutes(vertx);
        router.get("/v1/indexes").handler(routes::list);
        router.post("/v1/indexes/:name/search").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(routes::search);
        router.post("/v1/indexes/:name/delete").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(routes::delete);
    }

    /** {@code POST /v1/indexes/{name}/delete} with {@code {"ids": [...]}}: {@code funcpipe.index.delete}. */
    private void delete(RoutingContext rc) {
        askAboutIndex(rc, IndexAddresses.DELETE, "{\"ids\": [\"1862_abraham_lincoln_r.txt\"]}");
    }

    private void list(RoutingContext rc) {
        ask(rc, IndexAddresses.LIST, new JsonObject());
    }

    private void search(RoutingContext rc) {
        askAboutIndex(rc, IndexAddresses.SEARCH, "{\"query\": \"the union\", \"k\": 10}");
    }

    /**
     * Passes the request's JSON object body to {@code address} with the index the path names; a body
     * that is empty, not an object, or names the index itself is a 400 ({@code example} shows a good one).
     */
    private void askAboutIndex(RoutingContext rc, String address, String example) {
        JsonObject body;
        try {
            body = rc.body().length() == 0 ? null : rc.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            error(rc, 400, "the body is not a JSON object: " + e.getMessage(), "body");
            return;
        }
        if (body == null) {
            error(rc, 400, "the body is empty: send a JSON object such as " + example, "body");
            return;
        }
        if (body.containsKey("index")) {
            error(rc, 400, "the path names the index: leave \"index\" out of the body", "index");
            return;
        }
        ask(rc, address, body.copy().put("index", rc.pathParam("name")));
    }

    private void ask(RoutingContext rc, String address, JsonObject request) {
        Caller caller = rc.get(Caller.CONTEXT_KEY);
        if (caller == null) {
            error(rc, 500, "no caller for this request: the authentication handler did not run before the index routes", null);
            return;
        }
        DeliveryOptions delivery = caller.writeTo(new DeliveryOptions().setSendTimeout(TIMEOUT.toMillis()));
        vertx.eventBus().<JsonObject>request(address, request, delivery).onComplete(replied -> {
            if (replied.succeeded()) {
                rc.response().putHeader("Content-Type", "application/json").end(replied.result().body().encode());
                return;
            }
            if (!(replied.cause() instanceof ReplyException e)) {
                error(rc, 500, "asking the index node failed: " + replied.cause(), null);
                return;
            }
            switch (e.failureType()) {
                case RECIPIENT_FAILURE -> {
                    int code = e.failureCode() >= 400 && e.failureCode() < 600 ? e.failureCode() : 500;
                    if (code == IndexAddresses.BAD_REQUEST) {
                        error(rc, code, IndexAddresses.problem(e.getMessage()), IndexAddresses.field(e.getMessage()));
                    } else {
                        error(rc, code, e.getMessage(), null);
                    }
                }
                case NO_HANDLERS -> error(rc, 503, "no node hosts the index stage (" + address + "): start a node "
                        + "with the index stage, or wait for it to join", null);
                case TIMEOUT -> error(rc, 504, "the index node did not answer within " + TIMEOUT_SECONDS + " s", null);
                case ERROR -> error(rc, 503, "sending to the index node failed: " + e.getMessage(), null);
            }
        });
    }

    private static void error(RoutingContext rc, int status, String message, String field) {
        JsonObject body = new JsonObject().put("error", message);
        if (field != null && !field.isEmpty()) {
            body.put("field", field);
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
