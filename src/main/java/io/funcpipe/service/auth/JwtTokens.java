package io.funcpipe.service.auth;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.funcpipe.service.job.Caller;
import io.funcpipe.service.shell.ServiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * JWT bearer tokens, checked by vertx-auth-jwt: signed with the HS256 secret of
 * {@code auth.jwt.secretFile} or verified with the public key of {@code auth.jwt.publicKeyFile};
 * expiry always checked, issuer and audience when configured. The principal is the {@code sub}
 * claim, the roles the {@code roles} claim (a list, or one space-separated text).
 */
public final class JwtTokens implements Authenticator {

    /** The claim holding the caller's roles. */
    public static final String ROLES_CLAIM = "roles";

    private final JWTAuth auth;

    private JwtTokens(JWTAuth auth) {
        this.auth = auth;
    }

    /** Reads the key file {@code jwt} names (blocks). */
    static JwtTokens of(Vertx vertx, ServiceConfig.Jwt jwt) {
        requireNonNull(jwt, "jwt");
        JWTOptions checks = new JWTOptions();
        if (!jwt.issuer().isEmpty()) {
            checks.setIssuer(jwt.issuer());
        }
        if (!jwt.audience().isEmpty()) {
            checks.addAudience(jwt.audience());
        }
        PubSecKeyOptions key = jwt.secretFile() != null
                ? new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(read(jwt.secretFile(), "auth.jwt.secretFile"))
                : new PubSecKeyOptions().setAlgorithm(jwt.algorithm()).setBuffer(read(jwt.publicKeyFile(), "auth.jwt.publicKeyFile"));
        return new JwtTokens(JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key).setJWTOptions(checks)));
    }

    /** An HS256 secret in a file: its text without surrounding white space. */
    static String read(Path file, String key) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new IllegalStateException(key + " " + file + " is empty");
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + key + " " + file + ": " + e + " (docs/security.md)", e);
        }
    }

    @Override
    public Future<Caller> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Future.failedFuture(new AuthException(MISSING));
        }
        return auth.authenticate(new TokenCredentials(token.strip())).transform(done -> {
            if (done.failed()) {
                return Future.failedFuture(new AuthException("the token is not valid (" + done.cause().getMessage()
                        + "); get a new one from the operator ('funcpipe token jwt', docs/security.md)"));
            }
            JsonObject claims = done.result().attributes().getJsonObject("accessToken", done.result().principal());
            String subject = claims.getString("sub");
            if (subject != null && subject.equals(Caller.INTERNAL.principal())) {
                return Future.failedFuture(new AuthException("the token names the principal '" + subject + "', which is "
                        + "reserved for the cluster itself; get a token for another name (docs/security.md)"));
            }
            if (subject == null || subject.isBlank()) {
                return Future.failedFuture(new AuthException("the token names no principal: it has no 'sub' claim; "
                        + "get a new one ('funcpipe token jwt', docs/security.md)"));
            }
            return Future.succeededFuture(new Caller(subject, roles(claims.getValue(ROLES_CLAIM))));
        });
    }

    private static Set<String> roles(Object claim) {
        Set<String> roles = new HashSet<>();
        if (claim instanceof JsonArray array) {
            array.forEach(role -> roles.add(String.valueOf(role)));
        } else if (claim instanceof String text) {
            for (String role : text.trim().split("\\s+")) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }

    /**
     * A token for {@code caller} signed with the HS256 secret in {@code secretFile}, valid for
     * {@code expiresIn}; {@code issuer} and {@code audience} are set when not empty.
     */
    public static String sign(Vertx vertx, Path secretFile, Caller caller, Duration expiresIn, String issuer, String audience) {
        requireNonNull(caller, "caller");
        requireNonNull(expiresIn, "expiresIn");
        JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
                .setAlgorithm("HS256").setBuffer(read(requireNonNull(secretFile, "secretFile"), "--secret-file"))));
        JWTOptions options = new JWTOptions().setAlgorithm("HS256").setSubject(caller.principal())
                .setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, Math.max(1, expiresIn.toSeconds())));
        if (!issuer.isEmpty()) {
            options.setIssuer(issuer);
        }
        if (!audience.isEmpty()) {
            options.addAudience(audience);
        }
        JsonArray roles = new JsonArray(caller.roles().stream().sorted().toList());
        return signer.generateToken(new JsonObject().put(ROLES_CLAIM, roles), options);
    }
}
