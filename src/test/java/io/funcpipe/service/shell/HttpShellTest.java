package io.funcpipe.service.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

class HttpShellTest {

    private static final String HOST = "127.0.0.1";

    private ServiceMetrics metrics;
    private Vertx vertx;
    private Readiness readiness;
    private HttpShell shell;
    private String deployment;
    private WebClient client;

    @BeforeEach
    void start() throws TimeoutException {
        metrics = ServiceMetrics.create();
        vertx = metrics.applyTo(Vertx.builder(), new VertxOptions()).build();
        readiness = Readiness.create(vertx);
        shell = new HttpShell(new ServiceConfig.Http(HOST, 0), readiness, metrics);
        deployment = within(vertx.deployVerticle(shell));
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() throws TimeoutException {
        client.close();
        within(vertx.close());
    }

    /** Waits for {@code future}; the bound only keeps a broken test from hanging the build. */
    private static <T> T within(Future<T> future) throws TimeoutException {
        return future.await(30, TimeUnit.SECONDS);
    }

    private HttpResponse<Buffer> get(String path) throws TimeoutException {
        return within(client.get(shell.port(), HOST, path).send());
    }

    @Nested
    @DisplayName("health")
    class Health {

        @Test
        @DisplayName("/health/live is 200 while the process runs")
        void liveIsUp() throws TimeoutException {
            HttpResponse<Buffer> response = get("/health/live");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("UP");
        }

        @Test
        @DisplayName("/health/ready is 503 while nothing is registered")
        void notReadyWithoutChecks() throws TimeoutException {
            HttpResponse<Buffer> response = get("/health/ready");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.bodyAsJsonObject().getString("outcome")).isEqualTo("DOWN");
            assertThat(within(readiness.ready())).isFalse();
        }

        @Test
        @DisplayName("/health/ready is 503 until every check is up, then 200")
        void readyWhenEveryCheckIsUp() throws TimeoutException {
            AtomicBoolean stages = new AtomicBoolean(false);
            readiness.register("stages", stages::get).register("model", () -> true);

            HttpResponse<Buffer> down = get("/health/ready");
            stages.set(true);
            HttpResponse<Buffer> up = get("/health/ready");

            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
                    .filter(c -> c.getString("id").equals("stages")).findFirst().orElseThrow()
                    .getString("status")).isEqualTo("DOWN");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(within(readiness.ready())).isTrue();
        }

        @Test
        @DisplayName("a check that throws is down, with its message")
        void throwingCheckIsDown() throws TimeoutException {
            readiness.register("index", () -> {
                throw new IllegalStateException("index locked");
            });

            HttpResponse<Buffer> response = get("/health/ready");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.bodyAsString()).contains("index locked");
        }

        @Test
        @DisplayName("a procedure check and unregistering the last check")
        void procedureAndUnregister() throws TimeoutException {
            readiness.register("cluster", (Promise<Status> p) -> p.complete(Status.OK()));
            int withCheck = get("/health/ready").statusCode();
            readiness.unregister("cluster");
            int without = get("/health/ready").statusCode();

            assertThat(withCheck).isEqualTo(200);
            assertThat(without).isEqualTo(503);
        }
    }

    @Nested
    @DisplayName("metrics")
    class Metrics {

        @Test
        @DisplayName("/metrics shows a registered counter and Vert.x's own meters in Prometheus text")
        void prometheusText() throws TimeoutException {
            metrics.registry().counter("funcpipe.jobs", "outcome", "completed").increment(3);
            get("/health/live");

            HttpResponse<Buffer> response = get("/metrics");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyAsString())
                    .contains("funcpipe_jobs_total{outcome=\"completed\"} 3.0")
                    .contains("vertx_http_server_requests_total");
        }
    }

    @Nested
    @DisplayName("event-bus bridge")
    class Bridge {

        private WebSocket connect() throws TimeoutException {
            return within(vertx.createWebSocketClient().connect(shell.port(), HOST, "/eventbus/websocket"));
        }

        /** The next frame the bridge writes to {@code socket} (it writes binary frames of JSON). */
        private static Future<JsonObject> nextFrame(WebSocket socket) {
            Promise<JsonObject> frame = Promise.promise();
            socket.handler(data -> frame.tryComplete(data.toJsonObject()));
            return frame.future();
        }

        private static JsonObject send(String address, Object body) {
            return new JsonObject().put("type", "send").put("address", address).put("body", body);
        }

        @Test
        @DisplayName("a request to funcpipe.jobs.list reaches the consumer and its reply comes back")
        void permittedRequest() throws TimeoutException {
            Promise<JsonObject> received = Promise.promise();
            MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(JobBridge.LIST, message -> {
                received.tryComplete(message.body());
                message.reply(new JsonObject().put("jobs", 0));
            });
            within(consumer.completion());
            WebSocket socket = connect();
            Future<JsonObject> reply = nextFrame(socket);

            within(socket.writeTextMessage(send(JobBridge.LIST, new JsonObject().put("state", "running"))
                    .put("replyAddress", "client-1").encode()));

            assertThat(within(received.future())).isEqualTo(new JsonObject().put("state", "running"));
            assertThat(within(reply)).isEqualTo(new JsonObject().put("type", "rec").put("address", "client-1")
                    .put("body", new JsonObject().put("jobs", 0)));
        }

        @Test
        @DisplayName("a send to a stage address is refused with access_denied and never delivered")
        void stageAddressRefused() throws TimeoutException {
            AtomicBoolean delivered = new AtomicBoolean(false);
            within(vertx.eventBus().consumer("funcpipe.stage.embed", message -> delivered.set(true)).completion());
            Promise<JsonObject> listed = Promise.promise();
            within(vertx.eventBus().<JsonObject>consumer(JobBridge.LIST, message -> listed.tryComplete(message.body()))
                    .completion());
            WebSocket socket = connect();
            Future<JsonObject> error = nextFrame(socket);

            within(socket.writeTextMessage(send("funcpipe.stage.embed", new JsonObject()).encode()));
            JsonObject refusal = within(error);
            // The bridge handles a socket's frames in order: once this one arrives, the refused one was handled.
            within(socket.writeTextMessage(send(JobBridge.LIST, new JsonObject()).encode()));
            within(listed.future());

            assertThat(refusal).isEqualTo(new JsonObject().put("type", "err").put("body", "access_denied"));
            assertThat(delivered).isFalse();
        }

        @Test
        @DisplayName("a client may listen to a job's progress but not to a stage")
        void outboundRules() throws TimeoutException {
            Promise<Void> listed = Promise.promise();
            within(vertx.eventBus().consumer(JobBridge.LIST, message -> listed.tryComplete()).completion());
            WebSocket socket = connect();
            Promise<JsonObject> denied = Promise.promise();
            Promise<JsonObject> progress = Promise.promise();
            socket.handler(data -> {
                JsonObject frame = data.toJsonObject();
                (frame.getString("type").equals("err") ? denied : progress).tryComplete(frame);
            });
            String address = JobBridge.progressAddress("job-7");

            within(socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "funcpipe.stage.index").encode()));
            within(socket.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode()));
            // Frames are handled in order: when this send arrives, both registrations were received.
            within(socket.writeTextMessage(send(JobBridge.LIST, new JsonObject()).encode()));
            within(listed.future());
            // The bridge may finish registering its consumer after the send went through (the check of a
            // register frame can be asynchronous): publish until the event arrives, bounded by within().
            long publishing = vertx.setPeriodic(0, 100, id -> vertx.eventBus().publish(address, new JsonObject().put("read", 12)));
            try {
                assertThat(within(denied.future()).getString("body")).isEqualTo("access_denied");
                assertThat(within(progress.future())).isEqualTo(new JsonObject().put("type", "rec").put("address", address)
                        .put("body", new JsonObject().put("read", 12)));
            } finally {
                vertx.cancelTimer(publishing);
            }
        }
    }

    @Test
    @DisplayName("a port in use fails the deployment with a message naming the address and the settings")
    void portInUse() throws TimeoutException {
        HttpShell second = new HttpShell(new ServiceConfig.Http(HOST, shell.port()), readiness, metrics);

        AsyncResult<String> deployed = within(vertx.deployVerticle(second).transform(Future::succeededFuture));

        assertThat(deployed.failed()).isTrue();
        assertThat(deployed.cause()).hasMessageStartingWith("cannot listen for HTTP on " + HOST + ":" + shell.port())
                .hasMessageEndingWith("choose another http.host/http.port (FUNCPIPE_HTTP_HOST/FUNCPIPE_HTTP_PORT)");
    }

    @Test
    @DisplayName("a readiness check name must be non-blank and free of '/'")
    void checkNames() {
        assertThatThrownBy(() -> readiness.register("stages/embed", () -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a readiness check name must be non-blank and contain no '/', got 'stages/embed'");
        assertThatThrownBy(() -> readiness.register(" ", () -> true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("undeploying closes the server")
    void undeployCloses() throws TimeoutException {
        int port = shell.port();
        int before = get("/health/live").statusCode();

        within(vertx.undeploy(deployment));
        AsyncResult<HttpResponse<Buffer>> after =
                within(client.get(port, HOST, "/health/live").send().transform(Future::succeededFuture));

        assertThat(before).isEqualTo(200);
        assertThat(after.failed()).as("a request after undeploy fails to connect").isTrue();
    }
}
