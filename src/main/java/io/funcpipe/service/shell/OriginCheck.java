package io.funcpipe.service.shell;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Which web pages may use the event-bus bridge: a request with an {@code Origin} header (a browser's)
 * passes when that origin is the service's own (its {@code Host}) or one of
 * {@code http.allowedOrigins} ({@code *}: any); else it is a 403 naming the origin and the key. A
 * request without {@code Origin} (not from a browser page: the CLI, curl) passes. Without this
 * check SockJS echoes any origin back in {@code Access-Control-Allow-Origin}, so any page a user
 * opens could drive the job API with that user's network position.
 */
final class OriginCheck {

    private final List<String> allowed;

    OriginCheck(List<String> allowed) {
        this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    }

    void handle(RoutingContext rc) {
        String origin = rc.request().getHeader("Origin");
        if (origin == null || allows(origin, rc.request().authority() == null ? null : rc.request().authority().toString())) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(403).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", "the origin " + origin + " may not use the event-bus bridge: it is "
                        + "not this service's own and not in http.allowedOrigins (FUNCPIPE_HTTP_ALLOWED_ORIGINS); the "
                        + "operator can add it there (docs/security.md)").encode());
    }

    boolean allows(String origin, String host) {
        String lower = origin.toLowerCase(Locale.ROOT);
        if (allowed.contains("*") || allowed.contains(lower)) {
            return true;
        }
        try {
            URI uri = URI.create(lower);
            String authority = uri.getAuthority();
            return authority != null && host != null && authority.equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
