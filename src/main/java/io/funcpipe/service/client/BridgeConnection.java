package io.funcpipe.service.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.funcpipe.service.shell.JobBridge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * A connection to a service's SockJS event-bus bridge ({@code /eventbus/websocket}), speaking the
 * bridge's JSON frames: {@code send} with a reply address, {@code register} for published
 * addresses, {@code ping} to keep the session alive. What a JVM client without the cluster uses to
 * reach the job API of a service started without {@code --cluster}. Failures the bridge reports
 * (for example {@code access_denied}) and failure replies fail the request's future with a
 * {@link ReplyException} carrying the server's code and message; a request without a reply within
 * the request timeout fails with a {@code TIMEOUT} {@link ReplyException} that names the address
 * and the URL. Messages of up to {@link JobBridge#MAX_MESSAGE_BYTES} arrive whole (the server
 * splits them into frames of {@link JobBridge#MAX_FRAME_BYTES}).
 */
public final class BridgeConnection implements AutoCloseable {

    private static final long PING_MILLIS = 5_000;

    private final Vertx vertx;
    private final String url;
    private final Duration requestTimeout;
    /** The frame headers every send and register carries: the token, when there is one. */
    private final JsonObject headers;
    private final WebSocketClient client;
    private final WebSocket socket;
    private final Map<String, Promise<Object>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonObject>> subscriptions = new ConcurrentHashMap<>();
    private final List<Consumer<String>> closeListeners = new CopyOnWriteArrayList<>();
    private final long pinger;
    private volatile boolean closed;
    private volatile String closedWhy;
    private Future<Void> closing;

    private BridgeConnection(Vertx vertx, String url, Duration requestTimeout, String token, WebSocketClient client,
                             WebSocket socket) {
        this.vertx = vertx;
        this.headers = token.isEmpty() ? null : new JsonObject().put("Authorization", "Bearer " + token);
        this.url = url;
        this.requestTimeout = requestTimeout;
        this.client = client;
        this.socket = socket;
        // the bridge writes its JSON frames as binary WebSocket messages, a long one split into several
        // WebSocket frames: the message handlers reassemble them (a plain handler would see each frame alone)
        socket.binaryMessageHandler(buffer -> onFrame(buffer.toString(StandardCharsets.UTF_8)));
        socket.textMessageHandler(this::onFrame);
        socket.closeHandler(v -> lost("the service at " + url + " closed the connection"));
        socket.exceptionHandler(e -> lost("the connection to " + url + " failed: " + e.getMessage()));
        this.pinger = vertx.setPeriodic(PING_MILLIS, id -> send(new JsonObject().put("type", "ping")));
    }

    /** Connects with {@link ClientOptions#DEFAULT_REQUEST_TIMEOUT} (also the connect timeout). */
    public static Future<BridgeConnection> open(Vertx vertx, String url) {
        return open(vertx, url, ClientOptions.DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Connects to the bridge of the service at {@code url} (such as {@code http://127.0.0.1:8080});
     * fails with a message naming the URL when nothing answers there within {@code requestTimeout}.
     * Each later request waits at most {@code requestTimeout} for its reply.
     */
    public static Future<BridgeConnection> open(Vertx vertx, String url, Duration requestTimeout) {
        return open(vertx, url, requestTimeout, "");
    }

    /**
     * As {@link #open(Vertx, String, Duration)}, sending {@code token} (an API key or a JWT; {@code ""}
     * for none) in the {@code Authorization} header of every frame, as the bridge wants it.
     */
    public static Future<BridgeConnection> open(Vertx vertx, String url, Duration requestTimeout, String token) {
        requireNonNull(vertx, "vertx");
        requireNonNull(token, "token");
        requireNonNull(requestTimeout, "requestTimeout");
        URI uri;
        try {
            uri = URI.create(requireNonNull(url, "url"));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new IllegalArgumentException("not a URL: " + url + " (expected http://HOST:PORT)"));
        }
        if (uri.getHost() == null || !"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            return Future.failedFuture(new IllegalArgumentException("not a service URL: " + url + " (expected http://HOST:PORT)"));
        }
        boolean tls = "https".equals(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(JobBridge.MAX_FRAME_BYTES).setMaxMessageSize(JobBridge.MAX_MESSAGE_BYTES)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis())));
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(uri.getHost()).setPort(port)
                .setSsl(tls).setURI("/eventbus/websocket").setTimeout(requestTimeout.toMillis());
        return client.connect(options)
                .map(socket -> new BridgeConnection(vertx, url, requestTimeout, token.strip(), client, socket))
                .recover(e -> client.close().transform(ignored -> Future.failedFuture(new IllegalStateException(
                        "cannot reach the service's event-bus bridge at " + url + "/eventbus: " + e.getMessage()
                                + "; check that 'funcpipe serve' runs there and the URL's port is its http.port"))));
    }

    /** The service's URL. */
    public String url() {
        return url;
    }

    /** Whether the connection is still open (not closed by either side, not failed). */
    public boolean isOpen() {
        return !closed;
    }

    /** Calls {@code listener} with why once the connection is lost or closed (at once if it already is). */
    public void onClose(Consumer<String> listener) {
        requireNonNull(listener, "listener");
        closeListeners.add(listener);
        if (closed && closeListeners.remove(listener)) {
            listener.accept(closedWhy);
        }
    }

    /**
     * Sends {@code body} to {@code address} and completes with the reply's body; fails when no reply
     * comes within the request timeout, naming the address and the URL.
     */
    public Future<Object> request(String address, JsonObject body) {
        if (closed) {
            return Future.failedFuture(new IllegalStateException(closedWhy));
        }
        String replyAddress = UUID.randomUUID().toString();
        Promise<Object> reply = Promise.promise();
        pending.put(replyAddress, reply);
        long timer = vertx.setTimer(requestTimeout.toMillis(), ignored -> {
            if (pending.remove(replyAddress) != null) {
                reply.tryFail(new ReplyException(ReplyFailure.TIMEOUT, "no reply from the service at " + url + " to "
                        + address + " within " + JobFollow.words(requestTimeout) + "; check that it runs and is ready "
                        + "(GET " + url + "/health/ready), or wait longer (--timeout)"));
            }
        });
        send(withHeaders(new JsonObject().put("type", "send").put("address", address).put("body", body)
                .put("replyAddress", replyAddress)))
                .onFailure(e -> {
                    pending.remove(replyAddress);
                    reply.tryFail(e);
                });
        return reply.future().andThen(ignored -> vertx.cancelTimer(timer));
    }

    /** Receives what is published on {@code address} until {@link #unsubscribe}. */
    public Future<Void> subscribe(String address, Consumer<JsonObject> handler) {
        if (closed) {
            return Future.failedFuture(new IllegalStateException(closedWhy));
        }
        subscriptions.put(address, requireNonNull(handler, "handler"));
        return send(withHeaders(new JsonObject().put("type", "register").put("address", address)));
    }

    public Future<Void> unsubscribe(String address) {
        subscriptions.remove(address);
        return closed ? Future.succeededFuture() : send(new JsonObject().put("type", "unregister").put("address", address));
    }

    private JsonObject withHeaders(JsonObject frame) {
        return headers == null ? frame : frame.put("headers", headers.copy());
    }

    private Future<Void> send(JsonObject frame) {
        return socket.writeTextMessage(frame.encode());
    }

    private void onFrame(String text) {
        JsonObject frame;
        try {
            frame = new JsonObject(text);
        } catch (RuntimeException e) {
            return; // not a bridge frame; the bridge sends none
        }
        String type = frame.getString("type", "");
        String address = frame.getString("address", "");
        switch (type) {
            case "rec" -> {
                Promise<Object> reply = pending.remove(address);
                if (reply != null) {
                    reply.tryComplete(frame.getValue("body"));
                } else {
                    Consumer<JsonObject> handler = subscriptions.get(address);
                    if (handler != null && frame.getValue("body") instanceof JsonObject body) {
                        handler.accept(body);
                    }
                }
            }
            case "err" -> {
                ReplyException failure = new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
                        frame.getInteger("failureCode", -1), frame.getString("message", frame.getString("body", "refused")));
                Promise<Object> reply = pending.remove(address);
                if (reply != null) {
                    reply.tryFail(failure);
                } else if (address.isEmpty() && "rejected".equals(frame.getString("body"))) {
                    // the bridge's follow-up to a refusal the service's guard has already answered, addressed
                } else if (address.isEmpty() && pending.size() == 1) {
                    // the bridge's own refusals (access_denied) name no reply address
                    pending.values().forEach(p -> p.tryFail(failure));
                    pending.clear();
                }
            }
            default -> {
                // pong and other frames need no action
            }
        }
    }

    private void lost(String why) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closedWhy = why;
        }
        vertx.cancelTimer(pinger);
        IllegalStateException failure = new IllegalStateException(why);
        pending.values().forEach(p -> p.tryFail(failure));
        pending.clear();
        for (Consumer<String> listener : closeListeners) {
            if (closeListeners.remove(listener)) {
                listener.accept(why);
            }
        }
    }

    /** Closes the connection without waiting; the future completes once the socket and its client are closed. */
    public synchronized Future<Void> closeAsync() {
        if (closing == null) {
            lost("the bridge connection to " + url + " was closed");
            closing = socket.close().transform(ignored -> client.close());
        }
        return closing;
    }

    /** Closes the connection and waits until it is closed. Not on a Vert.x thread. */
    @Override
    public void close() {
        closeAsync().await();
    }
}
