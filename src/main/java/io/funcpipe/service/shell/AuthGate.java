package io.funcpipe.service.shell;

import java.util.Optional;

import io.funcpipe.service.auth.AuthException;
import io.funcpipe.service.auth.Authenticator;
import io.funcpipe.service.job.Caller;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The one authentication step of the HTTP routes: reads the bearer token of a request
 * ({@code Authorization: Bearer <token>}, or the {@code access_token} query parameter for clients
 * that cannot set headers, such as EventSource and SockJS), asks the {@link Authenticator} for the
 * {@link Caller} and puts it at {@link Caller#CONTEXT_KEY} for the routes behind it. A refusal is a
 * 401 with {@code WWW-Authenticate: Bearer} and {@code {"error": "..."}} saying what is missing or
 * wrong and how to get a token. With authentication off every request is {@link Caller#INTERNAL}.
 */
final class AuthGate {

    /** The query parameter that carries a token when headers cannot. */
    static final String ACCESS_TOKEN = "access_token";

    private final Optional<Authenticator> authenticator;

    AuthGate(Optional<Authenticator> authenticator) {
        this.authenticator = authenticator;
    }

    /** True when callers must authenticate. */
    boolean enabled() {
        return authenticator.isPresent();
    }

    /** A route that needs a caller: no token or a wrong one is a 401. */
    void required(RoutingContext rc) {
        if (authenticator.isEmpty()) {
            rc.put(Caller.CONTEXT_KEY, Caller.INTERNAL).next();
            return;
        }
        authenticate(token(rc.request())).onComplete(done -> {
            if (done.succeeded()) {
                rc.put(Caller.CONTEXT_KEY, done.result()).next();
            } else {
                refuse(rc, done.cause().getMessage());
            }
        });
    }

    /**
     * The event-bus bridge: a token given when connecting is checked now (a wrong one is a 401); with
     * none the request goes on without a caller, and each bridge frame must then carry a token
     * ({@link BridgeGuard}).
     */
    void optional(RoutingContext rc) {
        String token = token(rc.request());
        if (authenticator.isEmpty() || token == null) {
            if (authenticator.isEmpty()) {
                rc.put(Caller.CONTEXT_KEY, Caller.INTERNAL);
            }
            rc.next();
            return;
        }
        required(rc);
    }

    /** The caller {@code token} names ({@link Caller#INTERNAL} when authentication is off). */
    Future<Caller> authenticate(String token) {
        return authenticator.map(a -> a.authenticate(token)).orElse(Future.succeededFuture(Caller.INTERNAL));
    }

    static String token(HttpServerRequest request) {
        String bearer = Authenticator.bearer(request.getHeader("Authorization"));
        if (bearer != null) {
            return bearer;
        }
        String query = request.getParam(ACCESS_TOKEN);
        return query == null || query.isBlank() ? null : query;
    }

    private static void refuse(RoutingContext rc, String message) {
        String why = message == null ? Authenticator.MISSING : message;
        rc.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"funcpipe\"")
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", why).encode());
    }

    /** The message of an authentication failure. */
    static String why(Throwable failure) {
        return failure instanceof AuthException ? failure.getMessage() : "authentication failed: " + failure;
    }
}
