package io.funcpipe.service.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.service.auth.ApiKeys;
import io.funcpipe.service.auth.Authenticator;
import io.funcpipe.service.auth.JwtTokens;
import io.funcpipe.service.job.Caller;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

@DisplayName("HttpShell's authentication and origin checks (HTTP routes)")
class AuthGateTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @TempDir
    Path tmp;
    Vertx vertx;
    HttpShell shell;
    String key;

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().await(60, TimeUnit.SECONDS);
    }

    private void start(ServiceConfig.Http http) throws Exception {
        shell = new HttpShell(http, Readiness.create(vertx), ServiceMetrics.create());
        vertx.deployVerticle(shell).await(60, TimeUnit.SECONDS);
    }

    private ServiceConfig.Http withKeys() throws Exception {
        key = ApiKeys.newKey();
        Path keys = Files.writeString(tmp.resolve("keys"), ApiKeys.line(key, new Caller("alice", Set.of())) + "\n");
        return new ServiceConfig.Http("127.0.0.1", 0).withAuth(ServiceConfig.Auth.apiKeys(keys));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shell.port() + path))
                .timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Nested
    @DisplayName("with API keys")
    class Keys {

        @BeforeEach
        void start() throws Exception {
            AuthGateTest.this.start(withKeys());
        }

        @Test
        @DisplayName("/v1/* without a token: 401, WWW-Authenticate: Bearer, a JSON error saying what to send and how to get a token")
        void noToken() throws Exception {
            HttpResponse<String> response = get("/v1/jobs");
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(new JsonObject(response.body()).getString("error")).isEqualTo(Authenticator.MISSING);
        }

        @Test
        @DisplayName("/v1/* with a wrong key: 401 saying the key is not valid")
        void wrongToken() throws Exception {
            HttpResponse<String> response = get("/v1/jobs", "Authorization", "Bearer fpk_wrong");
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(new JsonObject(response.body()).getString("error")).startsWith("the API key is not valid");
        }

        @Test
        @DisplayName("/v1/* with the key in the header or in access_token passes the gate (to the routes behind it: 503, no supervisor here)")
        void goodToken() throws Exception {
            assertThat(get("/v1/jobs", "Authorization", "Bearer " + key).statusCode()).isEqualTo(503);
            assertThat(get("/v1/jobs?access_token=" + key).statusCode()).isEqualTo(503);
        }

        @Test
        @DisplayName("/health/* and, by default, /metrics stay open")
        void openRoutes() throws Exception {
            assertThat(get("/health/live").statusCode()).isEqualTo(200);
            assertThat(get("/metrics").statusCode()).isEqualTo(200);
        }

        @Test
        @DisplayName("a wrong token given when connecting to the bridge is refused with 401 before SockJS")
        void bridgeConnectWithWrongToken() throws Exception {
            HttpResponse<String> response = get("/eventbus/info?access_token=fpk_wrong");
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(new JsonObject(response.body()).getString("error")).startsWith("the API key is not valid");
            assertThat(get("/eventbus/info").statusCode()).as("no token: frames must carry one").isEqualTo(200);
        }
    }

    @Test
    @DisplayName("http.metricsAuth: /metrics needs a token")
    void metricsAuth() throws Exception {
        ServiceConfig.Http keys = withKeys();
        start(new ServiceConfig.Http(keys.host(), 0, List.of(), true, keys.auth()));
        HttpResponse<String> refused = get("/metrics");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo(Authenticator.MISSING);
        assertThat(get("/metrics", "Authorization", "Bearer " + key).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("JWTs: one signed with the secret passes, a forged one is refused saying the token is not valid")
    void jwt() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "a-long-shared-secret-for-the-tests-0123456789");
        Path other = Files.writeString(tmp.resolve("other"), "another-secret-that-did-not-sign-for-this-service");
        ServiceConfig.Jwt jwt = new ServiceConfig.Jwt(secret, null, "RS256", "funcpipe-test", "");
        start(new ServiceConfig.Http("127.0.0.1", 0).withAuth(new ServiceConfig.Auth(ServiceConfig.AuthMode.JWT, null, jwt,
                java.util.Map.of())));
        Caller alice = new Caller("alice", Set.of("staff"));
        String good = JwtTokens.sign(vertx, secret, alice, Duration.ofMinutes(5), "funcpipe-test", "");
        String forged = JwtTokens.sign(vertx, other, alice, Duration.ofMinutes(5), "funcpipe-test", "");
        String wrongIssuer = JwtTokens.sign(vertx, secret, alice, Duration.ofMinutes(5), "elsewhere", "");
        assertThat(get("/v1/jobs", "Authorization", "Bearer " + good).statusCode()).isEqualTo(503);
        HttpResponse<String> refused = get("/v1/jobs", "Authorization", "Bearer " + forged);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(refused.body()).getString("error")).startsWith("the token is not valid (");
        assertThat(new JsonObject(get("/v1/jobs", "Authorization", "Bearer " + wrongIssuer).body()).getString("error"))
                .startsWith("the token is not valid (").contains("issuer");
    }

    @Test
    @DisplayName("JWT claims: sub is the principal, roles the roles")
    void jwtClaims() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "a-long-shared-secret-for-the-tests-0123456789");
        Authenticator jwt = Authenticator.of(vertx, new ServiceConfig.Http("127.0.0.1", 0).withAuth(new ServiceConfig.Auth(
                ServiceConfig.AuthMode.JWT, null, new ServiceConfig.Jwt(secret, null, "RS256", "", ""), java.util.Map.of())))
                .orElseThrow();
        Caller caller = new Caller("bob", Set.of("staff", Caller.ADMIN));
        String token = JwtTokens.sign(vertx, secret, caller, Duration.ofMinutes(5), "", "");
        assertThat(jwt.authenticate(token).await(60, TimeUnit.SECONDS)).isEqualTo(caller);
    }

    @Nested
    @DisplayName("the bridge's origin check")
    class Origins {

        @Test
        @DisplayName("another web origin is refused with 403 naming it and http.allowedOrigins; the own origin and no Origin pass")
        void foreignOrigin() throws Exception {
            start(new ServiceConfig.Http("127.0.0.1", 0));
            HttpResponse<String> refused = get("/eventbus/info", "Origin", "http://evil.example");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("the origin http://evil.example may "
                    + "not use the event-bus bridge: it is not this service's own and not in http.allowedOrigins "
                    + "(FUNCPIPE_HTTP_ALLOWED_ORIGINS); the operator can add it there (docs/security.md)");
            assertThat(get("/eventbus/info", "Origin", "http://127.0.0.1:" + shell.port()).statusCode()).isEqualTo(200);
            assertThat(get("/eventbus/info").statusCode()).isEqualTo(200);
        }

        @Test
        @DisplayName("an origin in http.allowedOrigins passes")
        void allowedOrigin() throws Exception {
            start(new ServiceConfig.Http("127.0.0.1", 0).withAllowedOrigins(List.of("https://console.example")));
            assertThat(get("/eventbus/info", "Origin", "https://console.example").statusCode()).isEqualTo(200);
            assertThat(get("/eventbus/info", "Origin", "https://other.example").statusCode()).isEqualTo(403);
        }
    }

    @Test
    @DisplayName("beyond loopback with auth.mode auto and no key, the shell refuses to start and says how to fix it")
    void refusesOpenBeyondLoopback() {
        ServiceConfig.Auth auto = new ServiceConfig.Auth(ServiceConfig.AuthMode.AUTO, null, ServiceConfig.Jwt.none(),
                java.util.Map.of());
        HttpShell open = new HttpShell(new ServiceConfig.Http("0.0.0.0", 0).withAuth(auto), Readiness.create(vertx),
                ServiceMetrics.create());
        assertThatThrownBy(() -> vertx.deployVerticle(open).await(60, TimeUnit.SECONDS))
                .hasMessageStartingWith("http.host is 0.0.0.0, beyond loopback, and no authentication is configured")
                .hasMessageContaining("auth.mode: none");
    }
}
