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

import io.funcpipe.service.client.ClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
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
        JobClient client = new JobClient(vertx, ClientOptions.defaults().withPollEvery(Duration.ofMinutes(10)));
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
        JobClient client = new JobClient(vertx, ClientOptions.defaults().withPollEvery(Duration.ofMillis(10)));

        JsonObject last = await(client.follow("j1", e -> { }));

        assertThat(last.getString("state")).isEqualTo("CANCELLED");
        assertThat(last.getBoolean("final")).isTrue();
        assertThat(asked.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    @DisplayName("gives up, saying so, when no supervisor answers for reconnectFor, instead of waiting forever")
    void noSupervisor(Vertx vertx) {
        List<String> notices = new CopyOnWriteArrayList<>();
        JobClient client = new JobClient(vertx, ClientOptions.defaults().withPollEvery(Duration.ofMillis(10))
                .withReconnectFor(Duration.ofMillis(500)).withNotices(notices::add));

        Throwable failure = failureOf(client.follow("j1", e -> { }));

        assertThat(failure.getMessage()).contains("gave up following job j1", "no supervisor answers funcpipe.jobs.status",
                "funcpipe jobs j1");
        assertThat(notices.get(0)).contains("lost the cluster's supervisor", "reconnecting for up to 500 ms");
    }

    @Test
    @DisplayName("follows on while the supervisor is away (its node restarts) and ends from its status once it answers again")
    void supervisorComesBack(Vertx vertx) {
        List<String> notices = new CopyOnWriteArrayList<>();
        JobClient client = new JobClient(vertx, ClientOptions.defaults().withPollEvery(Duration.ofMillis(10))
                .withReconnectFor(Duration.ofMinutes(2)).withNotices(notices::add));

        Future<JsonObject> end = client.follow("j1", e -> { });
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (notices.isEmpty() && System.nanoTime() < deadline) {
            await(vertx.timer(5));
        }
        assertThat(notices).as("a notice that it lost the supervisor").isNotEmpty();
        await(vertx.eventBus().consumer(JobAddresses.STATUS, m -> m.reply(status("SUCCEEDED"))).completion());

        assertThat(await(end).getString("state")).isEqualTo("SUCCEEDED");
        assertThat(notices.getLast()).contains("reconnected to the cluster's supervisor", "following job j1 again");
    }

    @Test
    @DisplayName("a job the supervisor does not know ends the follow at once with its 404")
    void unknownJob(Vertx vertx) {
        await(vertx.eventBus().consumer(JobAddresses.STATUS, m -> m.fail(404, "no job has id j1")).completion());
        JobClient client = new JobClient(vertx, ClientOptions.defaults().withReconnectFor(Duration.ofMinutes(5)));

        assertThat(refusal(client.follow("j1", e -> { })).failureCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("a request without a reply fails after the request timeout, naming the address and what to check")
    void requestTimeout(Vertx vertx) {
        await(vertx.eventBus().consumer(JobAddresses.STATUS, m -> { }).completion());
        JobClient client = new JobClient(vertx, ClientOptions.defaults().withRequestTimeout(Duration.ofMillis(200)));

        ReplyException e = refusal(client.status("j1"));

        assertThat(e.failureType()).isEqualTo(ReplyFailure.TIMEOUT);
        assertThat(e.getMessage()).contains("no reply to funcpipe.jobs.status", "within 200 ms", "--timeout");
    }

    private static Throwable failureOf(Future<?> future) {
        try {
            future.await(90, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("succeeded; a failure was expected");
    }
}
