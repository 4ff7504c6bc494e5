package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.funcpipe.service.job.Caller;
import io.funcpipe.service.job.JobAddresses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;

/**
 * Checks every frame a client sends through the event-bus bridge. A {@code send} or {@code publish}
 * is authenticated by the token in its {@code Authorization} frame header ({@code Bearer <token>}),
 * else by the one given when the socket connected ({@link AuthGate#optional}); then its headers are
 * replaced by the {@link Caller} ({@link Caller#writeTo}): whatever {@code funcpipe-principal},
 * {@code funcpipe-roles} or {@code Authorization} the client sent never reaches the bus. A
 * {@code register} for {@code funcpipe.jobs.<id>.progress} is let through only when the caller may
 * see job {@code id} (the supervisor's status answer decides, so an unknown job and another's job
 * are refused alike). A refused frame is answered with an {@code err} frame to its reply address
 * (or, for a register, to the address it named) with {@code failureCode} 401 or 404 and a
 * {@code message} saying why; the bridge then also sends its own {@code "rejected"}.
 */
final class BridgeGuard implements Handler<BridgeEvent> {

    static final String AUTHORIZATION = "Authorization";
    private static final Pattern PROGRESS = Pattern.compile("funcpipe\\.jobs\\.([^.]+)\\.progress");

    private final Vertx vertx;
    private final AuthGate gate;

    BridgeGuard(Vertx vertx, AuthGate gate) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.gate = requireNonNull(gate, "gate");
    }

    @Override
    public void handle(BridgeEvent event) {
        switch (event.type()) {
            case SEND, PUBLISH -> caller(event).onComplete(done -> {
                if (done.failed()) {
                    refuse(event, event.getRawMessage().getString("replyAddress"), 401, AuthGate.why(done.cause()));
                    return;
                }
                JsonObject raw = event.getRawMessage();
                JsonObject headers = new JsonObject();
                done.result().writeTo(new DeliveryOptions()).getHeaders()
                        .forEach(header -> headers.put(header.getKey(), header.getValue()));
                raw.put("headers", headers);
                event.complete(true);
            });
            case REGISTER -> caller(event).onComplete(done -> {
                String address = event.getRawMessage().getString("address", "");
                if (done.failed()) {
                    refuse(event, address, 401, AuthGate.why(done.cause()));
                } else {
                    mayFollow(done.result(), address).onComplete(allowed -> {
                        if (allowed.succeeded()) {
                            event.complete(true);
                        } else {
                            refuse(event, address, allowed.cause() instanceof ReplyException reply ? reply.failureCode() : 403,
                                    allowed.cause().getMessage());
                        }
                    });
                }
            });
            default -> event.complete(true);
        }
    }

    /** The caller of a frame: its own token, else the socket's. */
    private Future<Caller> caller(BridgeEvent event) {
        JsonObject headers = event.getRawMessage() == null ? null : event.getRawMessage().getJsonObject("headers");
        String token = headers == null ? null : io.funcpipe.service.auth.Authenticator.bearer(headers.getString(AUTHORIZATION));
        if (token != null || !gate.enabled()) {
            return gate.authenticate(token);
        }
        Caller connected = event.socket().routingContext() == null ? null
                : event.socket().routingContext().get(Caller.CONTEXT_KEY);
        return connected != null ? Future.succeededFuture(connected) : gate.authenticate(null);
    }

    /** Succeeds when {@code caller} may receive what is published on {@code address}. */
    private Future<Void> mayFollow(Caller caller, String address) {
        Matcher progress = PROGRESS.matcher(address);
        if (caller.admin() || !progress.matches()) {
            return Future.succeededFuture(); // the bridge's permitted addresses refuse every other address
        }
        return vertx.eventBus().request(JobAddresses.STATUS, new JsonObject().put("id", progress.group(1)),
                caller.writeTo(new DeliveryOptions())).mapEmpty();
    }

    private static void refuse(BridgeEvent event, String address, int code, String message) {
        JsonObject frame = new JsonObject().put("type", "err").put("failureCode", code)
                .put("failureType", "RECIPIENT_FAILURE").put("message", message);
        if (address != null) {
            frame.put("address", address);
        }
        event.socket().write(frame.encode());
        event.complete(false);
    }
}
