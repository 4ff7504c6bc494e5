package io.funcpipe.service.job;

import static io.funcpipe.service.job.SupervisorFixture.await;
import static io.funcpipe.service.job.SupervisorFixture.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;

/** The client against a scripted supervisor: only the event-bus contract matters here. */
@ExtendWith(VertxExtension.class)
@DisplayName("JobClient.follow")
class JobClientTest {

    private static JsonObject status(String state) {
        return new JsonObject().put("id", "j1").put("state", state);
    }

    @Test
    @DisplayName("passes progress events on and ends with the final event")
    void progressThenFinal(Vertx vertx) {
        Promise<Void> asked = Promise.promise();
        await(vertx.eventBus().consumer(JobAddresses.STATUS, m -> {
            m.reply(status("RUNNING"));
            asked.tryComplete();
        }).completion());
        JobClient client = new JobClient(vertx, new DeliveryOptions(), Duration.ofMinutes(10));
        List<JsonObject> progress = new CopyOnWriteArrayList<>();
        Future<JsonObject> end = client.follow("j1", progress::add);
        await(asked.future()); // it asks for the status once its progress consumer is registered

        vertx.eventBus().publish(JobAddresses.progress("j1"), status("RUNNING").put("final", false));
        vertx.eventBus().publish(JobAddresses.progress("j1"), status("SUCCEEDED").put("final", true));

        assertThat(await(end).getString("state")).isEqualTo("SUCCEEDED");
        assertThat(progress).extracting(e -> e.getBoolean("final")).containsOnly(false);
    }

    @Test
    @DisplayName("ends from the status when the final event never comes (published before it subscribed, or lost)")
    void endsByPolling(Vertx vertx) {
        AtomicInteger asked = new AtomicInteger();
        await(vertx.eventBus().consumer(JobAddresses.STATUS,
                m -> m.reply(status(asked.incrementAndGet() < 3 ? "RUNNING" : "CANCELLED").put("report", (Object) null)))
                .completion());
        JobClient client = new JobClient(vertx, new DeliveryOptions(), Duration.ofMillis(10));

        JsonObject last = await(client.follow("j1", e -> { }));

        assertThat(last.getString("state")).isEqualTo("CANCELLED");
        assertThat(last.getBoolean("final")).isTrue();
        assertThat(asked.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    @DisplayName("fails when no supervisor answers, instead of waiting forever")
    void noSupervisor(Vertx vertx) {
        JobClient client = new JobClient(vertx, new DeliveryOptions(), Duration.ofMillis(10));

        assertThat(refusal(client.follow("j1", e -> { })).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    }
}
