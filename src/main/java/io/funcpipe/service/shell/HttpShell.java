package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.util.Optional;

import io.funcpipe.service.auth.Authenticator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The service's HTTP endpoint, deployed as a verticle ({@code vertx.deployVerticle(shell)}; undeploying
 * closes the server):
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the process runs;</li>
 *   <li>{@code GET /health/ready}: 200 when every {@link Readiness} check is up, else 503;</li>
 *   <li>{@code GET /metrics}: the {@link ServiceMetrics} registry in Prometheus text format (behind
 *       the authentication when {@code http.metricsAuth});</li>
 *   <li>{@code /v1/*}: the REST routes, behind the authentication ({@link AuthGate}), which puts the
 *       caller at {@code Caller.CONTEXT_KEY};</li>
 *   <li>{@code GET /v1/indexes}, {@code POST /v1/indexes/{name}/search}: the index API ({@link IndexRoutes});</li>
 *   <li>{@code /eventbus/*}: the SockJS event-bus bridge for the job API ({@link JobBridge}), behind the
 *       origin check ({@link OriginCheck}), with every frame checked by {@link BridgeGuard};
 *       a raw WebSocket is at {@code /eventbus/websocket}, taking messages of up to
 *       {@link JobBridge#MAX_MESSAGE_BYTES}.</li>
 *   <li>{@code /v1/jobs*}: the job API over REST, with progress as Server-Sent Events ({@link JobRoutes});</li>
 *   <li>{@code /}, {@code /openapi.yaml}: the web console and the API's description ({@link ConsoleRoutes}).</li>
 * </ul>
 * The authenticator ({@code auth.*}) is read when the verticle starts; a start beyond loopback with
 * no authentication configured (and no explicit {@code auth.mode: none}) fails saying so.
 */
public final class HttpShell extends VerticleBase {

    private static final System.Logger LOG = System.getLogger(HttpShell.class.getName());
    private static final String LIVE = new JsonObject().put("status", "UP").put("outcome", "UP").encode();

    private final ServiceConfig.Http settings;
    private final Readiness readiness;
    private final ServiceMetrics metrics;
    private volatile HttpServer server;

    public HttpShell(ServiceConfig.Http settings, Readiness readiness, ServiceMetrics metrics) {
        this.settings = requireNonNull(settings, "settings");
        this.readiness = requireNonNull(readiness, "readiness");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> Authenticator.of(vertx, settings)).compose(this::listen);
    }

    private Future<HttpServer> listen(Optional<Authenticator> authenticator) {
        AuthGate gate = new AuthGate(authenticator);
        Router router = Router.router(vertx);
        router.get("/health/live").handler(this::live);
        router.get("/health/ready").handler(readiness.handler());
        if (settings.metricsAuth()) {
            router.get("/metrics").handler(gate::required);
        }
        router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.prometheus()));
        router.route("/v1/*").handler(gate::required);
        IndexRoutes.mount(router, vertx);
        JobRoutes.mount(router, vertx);
        ConsoleRoutes.mount(router);
        router.route("/eventbus/*").handler(new OriginCheck(settings.allowedOrigins())::handle);
        router.route("/eventbus/*").handler(gate::optional);
        // SockJS's XHR transports read their POST bodies from a BodyHandler (without one they answer 500)
        router.route("/eventbus/*").handler(BodyHandler.create().setBodyLimit(JobBridge.MAX_MESSAGE_BYTES));
        router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx)
                .bridge(JobBridge.options(), new BridgeGuard(vertx, gate)));
        HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
                .setMaxWebSocketFrameSize(JobBridge.MAX_FRAME_BYTES).setMaxWebSocketMessageSize(JobBridge.MAX_MESSAGE_BYTES);
        LOG.log(Level.INFO, () -> "authentication: " + (gate.enabled() ? settings.auth().effectiveMode(settings.host())
                .name().toLowerCase(java.util.Locale.ROOT) : "none (every caller may do everything)"));
        return vertx.createHttpServer(options)
                .requestHandler(router)
                .listen()
                .onSuccess(this::started)
                .recover(e -> Future.failedFuture(new IllegalStateException("cannot listen for HTTP on "
                        + settings.host() + ":" + settings.port() + " (" + e.getMessage() + "); choose another "
                        + "http.host/http.port (FUNCPIPE_HTTP_HOST/FUNCPIPE_HTTP_PORT)", e)));
    }

    @Override
    public Future<?> stop() {
        HttpServer listening = server;
        return listening == null ? Future.succeededFuture() : listening.close();
    }

    /** The port the server listens on (the one chosen when {@code http.port} was 0); -1 before start. */
    public int port() {
        HttpServer listening = server;
        return listening == null ? -1 : listening.actualPort();
    }

    private void started(HttpServer listening) {
        server = listening;
        LOG.log(Level.INFO, () -> "HTTP on " + settings.host() + ":" + listening.actualPort()
                + ": /health/live, /health/ready, /metrics, /eventbus/*, /v1/jobs, /v1/indexes, / (console), /openapi.yaml");
    }

    private void live(RoutingContext rc) {
        rc.response().putHeader("Content-Type", "application/json").end(LIVE);
    }
}
