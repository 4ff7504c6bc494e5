package io.funcpipe.service.client;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;

import io.funcpipe.service.shell.JobBridge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * The job API over a service's SockJS bridge ({@link BridgeConnection}): for a client that did not
 * join the cluster, such as {@code funcpipe submit --url http://127.0.0.1:8080}. Each request waits
 * at most {@link ClientOptions#requestTimeout()} for its reply. {@link #follow} goes on through a
 * dropped connection or a restart of the service: it reconnects (a new connection replaces the lost
 * one for every later request), subscribes again and asks for the job's status, for up to
 * {@link ClientOptions#reconnectFor()} ({@link JobFollow}).
 */
public final class BridgeJobApi implements JobApi {

    private final Vertx vertx;
    private final String url;
    private final ClientOptions options;
    private BridgeConnection bridge;
    private Future<BridgeConnection> reopening;
    private boolean closed;

    private BridgeJobApi(Vertx vertx, String url, ClientOptions options, BridgeConnection bridge) {
        this.vertx = vertx;
        this.url = url;
        this.options = options;
        this.bridge = bridge;
    }

    /** Connects to the bridge of the service at {@code url} with {@link ClientOptions#defaults()}. */
    public static Future<JobApi> open(Vertx vertx, String url) {
        return open(vertx, url, ClientOptions.defaults());
    }

    /** Connects to the bridge of the service at {@code url}; fails naming the URL when nothing answers there. */
    public static Future<JobApi> open(Vertx vertx, String url, ClientOptions options) {
        requireNonNull(vertx, "vertx");
        requireNonNull(options, "options");
        return BridgeConnection.open(vertx, url, options.requestTimeout(), options.token())
                .map(bridge -> new BridgeJobApi(vertx, url, options, bridge));
    }

    @Override
    public Future<String> submit(JsonObject spec) {
        return object(current().request(JobBridge.SUBMIT, spec)).map(reply -> reply.getString("id"));
    }

    @Override
    public Future<JsonObject> status(String id) {
        return object(current().request(JobBridge.STATUS, new JsonObject().put("id", requireNonNull(id, "id"))));
    }

    @Override
    public Future<JsonObject> cancel(String id) {
        return object(current().request(JobBridge.CANCEL, new JsonObject().put("id", requireNonNull(id, "id"))));
    }

    @Override
    public Future<JobPage> list(int offset, int limit) {
        return object(current().request(JobBridge.LIST, JobPage.request(offset, limit))).map(JobPage::of);
    }

    @Override
    public Future<JsonObject> follow(String id, Consumer<JsonObject> onProgress) {
        String address = JobBridge.progressAddress(requireNonNull(id, "id"));
        return JobFollow.start(vertx, new Link(), options, id, address, onProgress);
    }

    private synchronized BridgeConnection current() {
        return bridge;
    }

    /** The open connection, or a new one when it was lost (one reconnect at a time). */
    private synchronized Future<BridgeConnection> connection() {
        if (closed) {
            return Future.failedFuture(new IllegalStateException("the client of " + url + " was closed"));
        }
        if (bridge.isOpen()) {
            return Future.succeededFuture(bridge);
        }
        if (reopening == null) {
            BridgeConnection lost = bridge;
            lost.closeAsync();
            reopening = BridgeConnection.open(vertx, url, options.requestTimeout(), options.token()).andThen(opened -> {
                synchronized (this) {
                    reopening = null;
                    if (opened.succeeded() && closed) {
                        opened.result().closeAsync();
                    } else if (opened.succeeded()) {
                        bridge = opened.result();
                    }
                }
            });
        }
        return reopening;
    }

    /** How {@link JobFollow} reaches the service over the bridge. */
    private final class Link implements JobFollow.Link {
        @Override
        public Future<Void> attach(String address, Consumer<JsonObject> handler, Consumer<String> onLost) {
            return connection().compose(connection -> {
                connection.onClose(onLost);
                return connection.subscribe(address, handler);
            });
        }

        @Override
        public Future<JsonObject> status(String id) {
            BridgeConnection asked = current();
            return BridgeJobApi.this.status(id).onFailure(e -> {
                if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
                    asked.closeAsync(); // a connection that stopped answering: the next attach opens a new one
                }
            });
        }

        @Override
        public void detach(String address) {
            current().unsubscribe(address);
        }

        @Override
        public String where() {
            return "the service at " + url;
        }
    }

    private static Future<JsonObject> object(Future<Object> reply) {
        return reply.compose(body -> body instanceof JsonObject json
                ? Future.succeededFuture(json)
                : Future.failedFuture(new IllegalStateException("the service answered " + body + " where a JSON object was expected")));
    }

    @Override
    public void close() {
        BridgeConnection last;
        synchronized (this) {
            closed = true;
            last = bridge;
        }
        last.close();
    }
}
