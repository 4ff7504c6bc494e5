package io.funcpipe.service.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.funcpipe.service.shell.JobBridge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The job API over a service's SockJS bridge ({@link BridgeConnection}): for a client that did not
 * join the cluster, such as {@code funcpipe submit --url http://127.0.0.1:8080}. While following a
 * job it also polls the status every {@code pollEvery}, so a final event published before the
 * subscription took effect, or lost with a dropped connection, still ends the wait.
 */
public final class BridgeJobApi implements JobApi {

    private static final Set<String> FINAL_STATES = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final int NOT_FOUND = 404;

    private final Vertx vertx;
    private final BridgeConnection bridge;
    private final Duration pollEvery;

    public BridgeJobApi(Vertx vertx, BridgeConnection bridge, Duration pollEvery) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.bridge = requireNonNull(bridge, "bridge");
        this.pollEvery = requireNonNull(pollEvery, "pollEvery");
    }

    /** Connects to the bridge of the service at {@code url}. */
    public static Future<JobApi> open(Vertx vertx, String url) {
        return BridgeConnection.open(vertx, url).map(bridge -> new BridgeJobApi(vertx, bridge, Duration.ofSeconds(2)));
    }

    @Override
    public Future<String> submit(JsonObject spec) {
        return object(bridge.request(JobBridge.SUBMIT, spec)).map(reply -> reply.getString("id"));
    }

    @Override
    public Future<JsonObject> status(String id) {
        return object(bridge.request(JobBridge.STATUS, new JsonObject().put("id", id)));
    }

    @Override
    public Future<JsonObject> cancel(String id) {
        return object(bridge.request(JobBridge.CANCEL, new JsonObject().put("id", id)));
    }

    @Override
    public Future<List<JsonObject>> list() {
        return object(bridge.request(JobBridge.LIST, new JsonObject())).map(reply -> {
            JsonArray jobs = reply.getJsonArray("jobs", new JsonArray());
            return jobs.stream().map(JsonObject.class::cast).toList();
        });
    }

    @Override
    public Future<JsonObject> follow(String id, Consumer<JsonObject> onProgress) {
        requireNonNull(onProgress, "onProgress");
        String address = JobBridge.progressAddress(requireNonNull(id, "id"));
        Promise<JsonObject> end = Promise.promise();
        long poller = vertx.setPeriodic(pollEvery.toMillis(), ignored -> checkStatus(id, end));
        bridge.subscribe(address, event -> {
            if (event.getBoolean("final", false)) {
                end.tryComplete(event);
            } else if (!end.future().isComplete()) {
                onProgress.accept(event);
            }
        }).onComplete(registered -> {
            if (registered.failed()) {
                end.tryFail(registered.cause());
            } else {
                checkStatus(id, end);
            }
        });
        return end.future().andThen(ignored -> {
            vertx.cancelTimer(poller);
            bridge.unsubscribe(address);
        });
    }

    /** Ends {@code end} from the status when the job has ended, or fails it when the job is unknown. */
    private void checkStatus(String id, Promise<JsonObject> end) {
        if (end.future().isComplete()) {
            return;
        }
        status(id).onComplete(status -> {
            if (status.failed()) {
                if (status.cause() instanceof ReplyException reply && reply.failureCode() == NOT_FOUND) {
                    end.tryFail(reply);
                }
                return; // anything else: the next poll tries again
            }
            if (FINAL_STATES.contains(status.result().getString("state", ""))) {
                end.tryComplete(status.result().copy().put("final", true));
            }
        });
    }

    private static Future<JsonObject> object(Future<Object> reply) {
        return reply.compose(body -> body instanceof JsonObject json
                ? Future.succeededFuture(json)
                : Future.failedFuture(new IllegalStateException("the service answered " + body + " where a JSON object was expected")));
    }

    @Override
    public void close() {
        bridge.close();
    }
}
