package io.funcpipe.service.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.service.job.Caller;
import io.funcpipe.service.job.JobAddresses;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * The REST routes against a job API on the bus answered by the test (what the routes send, with which
 * caller), and without one: the caller's headers, a missing caller, no supervisor, and the event stream's
 * consumer going with its client.
 */
@DisplayName("JobRoutes: REST requests become job-API messages on the bus")
class JobRoutesTest {

    private static final String HOST = RoutesServer.HOST;
    private static final Caller ALICE = new Caller("alice", Set.of("reader"));

    private RoutesServer routes;
    private Vertx vertx;
    private WebClient client;
    private volatile Caller caller = ALICE;

    @BeforeEach
    void start() throws TimeoutException {
        routes = RoutesServer.start((on, router) -> {
            router.route("/v1/*").handler(rc -> {
                if (caller != null) {
                    rc.put(Caller.CONTEXT_KEY, caller);
                }
                rc.next();
            });
            JobRoutes.mount(router, on);
        });
        vertx = routes.vertx;
        client = routes.client;
    }

    @AfterEach
    void stop() throws TimeoutException {
        routes.close();
    }

    private static <T> T within(Future<T> future) throws TimeoutException {
        return RoutesServer.within(future);
    }

    private HttpResponse<Buffer> get(String path) throws TimeoutException {
        return routes.get(path);
    }

    @Test
    @DisplayName("every request carries the request's caller in its message headers, whatever the client sent")
    void callerInHeaders() throws TimeoutException {
        List<MultiMap> headers = new CopyOnWriteArrayList<>();
        List<Object> bodies = new CopyOnWriteArrayList<>();
        for (String address : List.of(JobAddresses.SUBMIT, JobAddresses.STATUS, JobAddresses.CANCEL, JobAddresses.LIST)) {
            within(vertx.eventBus().consumer(address, message -> {
                headers.add(message.headers());
                bodies.add(message.body());
                message.reply(new JsonObject().put("id", "j1").put("state", "QUEUED"));
            }).completion());
        }

        HttpResponse<Buffer> submitted = within(client.post(routes.port(), HOST, "/v1/jobs")
                .putHeader(Caller.PRINCIPAL_HEADER, "mallory").putHeader(Caller.ROLES_HEADER, Caller.ADMIN)
                .sendJsonObject(new JsonObject().put("index", "x")));
        get("/v1/jobs/j1");
        get("/v1/jobs?offset=2&limit=3");
        within(client.delete(routes.port(), HOST, "/v1/jobs/j1").send());

        assertThat(submitted.statusCode()).isEqualTo(201);
        assertThat(submitted.getHeader("Location")).isEqualTo("/v1/jobs/j1");
        assertThat(headers).hasSize(4).allSatisfy(h -> assertThat(Caller.from(h)).isEqualTo(ALICE));
        assertThat(bodies).containsExactly(new JsonObject().put("index", "x"), new JsonObject().put("id", "j1"),
                new JsonObject().put("offset", 2L).put("limit", 3L), new JsonObject().put("id", "j1"));
    }

    @Test
    @DisplayName("a request without an authenticated caller fails closed: 500, and nothing is sent")
    void missingCallerFailsClosed() throws TimeoutException {
        caller = null;
        List<Object> sent = new CopyOnWriteArrayList<>();
        within(vertx.eventBus().consumer(JobAddresses.STATUS, sent::add).completion());

        HttpResponse<Buffer> response = get("/v1/jobs/j1");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.bodyAsJsonObject().getString("error")).contains("no authenticated caller");
        assertThat(sent).isEmpty();
    }

    @Test
    @DisplayName("with no supervisor on the bus a request is a 503 that says what to check")
    void noSupervisor() throws TimeoutException {
        HttpResponse<Buffer> response = get("/v1/jobs");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.bodyAsJsonObject().getString("error")).contains("no supervisor answers", "/health/ready");
    }

    @Test
    @DisplayName("a supervisor's 503 (shutting down) passes through with its message")
    void unavailable() throws TimeoutException {
        within(vertx.eventBus().consumer(JobAddresses.SUBMIT, m -> m.fail(JobAddresses.UNAVAILABLE, "shutting down")).completion());

        HttpResponse<Buffer> response = within(client.post(routes.port(), HOST, "/v1/jobs")
                .sendJsonObject(new JsonObject().put("index", "x")));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("shutting down");
    }

    @Test
    @DisplayName("an event stream relays progress events, ends after the final one, and its consumer goes when its client does")
    void eventStreamFollowsAndLetsGo() throws Exception {
        within(vertx.eventBus().consumer(JobAddresses.STATUS, m -> m.reply(new JsonObject().put("id", "j1")
                .put("state", "RUNNING"))).completion());
        String progress = JobBridge.progressAddress("j1");
        HttpClient http = vertx.createHttpClient();
        List<String> chunks = new CopyOnWriteArrayList<>();
        // the body handler is set on the event loop as the response arrives, so no chunk goes by before it
        HttpClientResponse first = within(http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(HOST)
                .setPort(routes.port()).setURI("/v1/jobs/j1/events")).compose(r -> r.send())
                .map(response -> response.handler(b -> chunks.add(b.toString()))));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.getHeader("Content-Type")).isEqualTo("text/event-stream");
        await(() -> String.join("", chunks).contains("\"state\":\"RUNNING\""));
        assertThat(consumerOn(progress)).as("the stream subscribed").isTrue();

        vertx.eventBus().publish(progress, new JsonObject().put("id", "j1").put("state", "RUNNING").put("final", false)
                .put("n", 1));
        vertx.eventBus().publish(progress, new JsonObject().put("id", "j1").put("state", "SUCCEEDED").put("final", true));
        within(first.end());

        String stream = String.join("", chunks);
        assertThat(stream.split("\n\n")).filteredOn(e -> e.startsWith("data: ") && !e.contains("probe")).hasSize(3);
        assertThat(stream).contains("\"n\":1", "\"final\":true");
        await(() -> !consumerOn(progress));

        HttpClientResponse second = within(http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(HOST)
                .setPort(routes.port()).setURI("/v1/jobs/j1/events")).compose(r -> r.send()));
        assertThat(second.statusCode()).isEqualTo(200);
        second.exceptionHandler(closed -> { }); // the connection closes under it: that is the point
        await(() -> consumerOn(progress));
        within(http.close()); // the client goes away mid-stream
        await(() -> !consumerOn(progress));
    }

    /** True if a consumer is registered at {@code address}: a request to it times out rather than finding no handler. */
    private boolean consumerOn(String address) throws Exception {
        try {
            vertx.eventBus().request(address, new JsonObject().put("probe", true), new DeliveryOptions().setSendTimeout(100))
                    .await(60, TimeUnit.SECONDS);
            return true;
        } catch (ReplyException e) {
            return e.failureType() != ReplyFailure.NO_HANDLERS;
        }
    }

    private static void await(ThrowingCondition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    private interface ThrowingCondition {
        boolean holds() throws Exception;
    }
}
