package io.funcpipe.service.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

import io.funcpipe.service.job.Caller;
import io.funcpipe.service.shell.ServiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Turns a bearer token into the {@link Caller} it names: an API key ({@link ApiKeys}) or a JWT
 * ({@link JwtTokens}), as {@code auth.mode} says. Every entry point that faces clients uses the one
 * authenticator of its node.
 */
public sealed interface Authenticator permits ApiKeys, JwtTokens {

    /** What to tell a caller that sent no token. */
    String MISSING = "authentication required: send the header 'Authorization: Bearer <token>' (on the event-bus "
            + "bridge: a frame header 'Authorization' with that value, or ?access_token=<token> when connecting; "
            + "EventSource: ?access_token=<token>); the operator makes tokens with 'funcpipe token' (docs/security.md)";

    /** The caller {@code token} names; fails with an {@link AuthException} saying what is wrong with it. */
    Future<Caller> authenticate(String token);

    /**
     * The authenticator {@code http}'s settings ask for, reading its key files now (blocks: call at
     * start-up, off the event loop); empty when authentication is off.
     *
     * @throws IllegalStateException when a key file cannot be read, or AUTO would leave the port open
     */
    static Optional<Authenticator> of(Vertx vertx, ServiceConfig.Http http) {
        requireNonNull(vertx, "vertx");
        ServiceConfig.Auth auth = requireNonNull(http, "http").auth();
        return switch (auth.effectiveMode(http.host())) {
            case NONE, AUTO -> Optional.empty();
            case APIKEYS -> Optional.of(ApiKeys.read(auth.apiKeysFile()));
            case JWT -> Optional.of(JwtTokens.of(vertx, auth.jwt()));
        };
    }

    /** The token of an {@code Authorization} header value {@code Bearer <token>}, or null when it is not one. */
    static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        return value.regionMatches(true, 0, "Bearer ", 0, 7) && value.length() > 7 ? value.substring(7).trim() : null;
    }
}
