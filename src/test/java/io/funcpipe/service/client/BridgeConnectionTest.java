package io.funcpipe.service.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.service.shell.HttpShell;
import io.funcpipe.service.shell.JobBridge;
import io.funcpipe.service.shell.Readiness;
import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

@DisplayName("BridgeConnection (against the service's SockJS bridge on 127.0.0.1)")
class BridgeConnectionTest {

    private Vertx vertx;
    private HttpShell shell;
    private BridgeConnection bridge;

    @BeforeEach
    void start() throws TimeoutException {
        vertx = Vertx.vertx();
        ServiceMetrics metrics = ServiceMetrics.create();
        shell = new HttpShell(new ServiceConfig.Http("127.0.0.1", 0), Readiness.create(vertx), metrics);
        within(vertx.deployVerticle(shell));
        vertx.eventBus().<JsonObject>consumer(JobBridge.LIST, m -> m.reply(new JsonObject().put("jobs", List.of("j1"))));
        vertx.eventBus().<JsonObject>consumer(JobBridge.STATUS, m -> m.fail(404, "no job " + m.body().getString("id")));
        bridge = within(BridgeConnection.open(vertx, "http://127.0.0.1:" + shell.port()));
    }

    @AfterEach
    void stop() throws TimeoutException {
        bridge.close();
        within(vertx.close());
    }

    private static <T> T within(Future<T> future) throws TimeoutException {
        return future.await(30, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("a request to a job API address gets the consumer's reply")
    void requestReply() throws TimeoutException {
        Object reply = within(bridge.request(JobBridge.LIST, new JsonObject()));
        assertThat(reply).isInstanceOf(JsonObject.class);
        assertThat(((JsonObject) reply).getJsonArray("jobs").getList()).containsExactly("j1");
    }

    @Test
    @DisplayName("a failure reply fails the request with the consumer's code and message")
    void failureReply() {
        assertThatThrownBy(() -> within(bridge.request(JobBridge.STATUS, new JsonObject().put("id", "nope"))))
                .isInstanceOf(ReplyException.class)
                .satisfies(e -> {
                    assertThat(((ReplyException) e).failureCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("no job nope");
                });
    }

    @Test
    @DisplayName("an address outside the job API is refused by the bridge")
    void refusedAddress() {
        assertThatThrownBy(() -> within(bridge.request("funcpipe.stage.embed", new JsonObject())))
                .isInstanceOf(ReplyException.class)
                .hasMessageContaining("access_denied");
    }

    @Test
    @DisplayName("events published on a job's progress address reach a subscriber")
    void progressEvents() throws Exception {
        List<JsonObject> seen = new CopyOnWriteArrayList<>();
        String address = JobBridge.progressAddress("j1");
        within(bridge.subscribe(address, seen::add));
        // the registration reaches the server asynchronously: publish until one arrives
        for (int i = 0; i < 300 && seen.isEmpty(); i++) {
            vertx.eventBus().publish(address, new JsonObject().put("n", i));
            Thread.sleep(10);
        }
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(0).containsKey("n")).isTrue();
    }

    @Test
    @DisplayName("replies far larger than a WebSocket frame arrive whole (70 KB, 300 KB, 5 MB)")
    void bigReplies() throws TimeoutException {
        for (int size : new int[] {70_000, 300_000, 5_000_000}) {
            String text = "x".repeat(size);
            var consumer = vertx.eventBus().<JsonObject>consumer(JobBridge.CANCEL, m -> m.reply(new JsonObject().put("text", text)));
            within(consumer.completion());
            Object reply = within(bridge.request(JobBridge.CANCEL, new JsonObject().put("id", "j1")));
            assertThat(((JsonObject) reply).getString("text")).as("a reply of %d bytes", size).hasSize(size);
            within(consumer.unregister());
        }
    }

    @Test
    @DisplayName("a request without a reply fails after the request timeout, naming the address and the URL")
    void requestTimeout() throws TimeoutException {
        vertx.eventBus().<JsonObject>consumer(JobBridge.CANCEL, m -> { });
        BridgeConnection quick = within(BridgeConnection.open(vertx, "http://127.0.0.1:" + shell.port(), java.time.Duration.ofMillis(300)));
        try {
            assertThatThrownBy(() -> within(quick.request(JobBridge.CANCEL, new JsonObject().put("id", "j1"))))
                    .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureType())
                            .isEqualTo(io.vertx.core.eventbus.ReplyFailure.TIMEOUT))
                    .hasMessageContaining("no reply from the service at http://127.0.0.1:" + shell.port()
                            + " to funcpipe.jobs.cancel within 300 ms");
        } finally {
            quick.close();
        }
    }

    @Test
    @DisplayName("a URL where nothing listens fails with a message naming it")
    void nothingListening() {
        assertThatThrownBy(() -> within(BridgeConnection.open(vertx, "http://127.0.0.1:1")))
                .hasMessageContaining("http://127.0.0.1:1/eventbus", "funcpipe serve");
    }
}
