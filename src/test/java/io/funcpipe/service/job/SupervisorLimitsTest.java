package io.funcpipe.service.job;

import static io.funcpipe.service.job.SupervisorFixture.await;
import static io.funcpipe.service.job.SupervisorFixture.refusal;
import static io.funcpipe.service.job.SupervisorFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.source.UrlPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;

@ExtendWith(VertxExtension.class)
@DisplayName("SupervisorVerticle: outbound fetches and limits")
class SupervisorLimitsTest {

    @TempDir
    Path tmp;
    SupervisorFixture fx;
    HttpServer server;
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void fixture(Vertx vertx) throws Exception {
        fx = new SupervisorFixture(vertx, tmp);
        server = await(vertx.createHttpServer().requestHandler(request -> {
            requests.incrementAndGet();
            switch (request.path()) {
                case "/moved.jsonl" -> request.response().setStatusCode(302)
                        .putHeader("Location", "http://169.254.169.254/latest/meta-data/").end();
                default -> request.response().putHeader("Content-Type", "application/x-ndjson")
                        .end("{\"id\":\"s1\",\"text\":\"the secret of the river\"}\n");
            }
        }).listen(0, "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        await(server.close());
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + server.actualPort() + path;
    }

    private JsonObject end(String id) {
        return fx.waitFor(id, "its end", s -> Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(s.getString("state")));
    }

    @Nested
    @DisplayName("a URL source")
    class Urls {

        @Test
        @DisplayName("to 127.0.0.1 with the default (empty) allow-list is a spec error naming sources[0]; the server sees no request")
        void refusedByDefault() {
            fx.deploy(fx.options());
            String secret = url("127.0.0.1", "/secret.txt");

            ReplyException refused = refusal(fx.client.submit(spec("docs", "small.txt", secret)));

            assertThat(refused.failureCode()).isEqualTo(400);
            assertThat(refused.getMessage()).contains("- sources[1]: " + secret + ": host 127.0.0.1 is not on the "
                    + "allow-list fetch.allowHosts (empty: this service fetches no URL)");
            assertThat(requests).hasValue(0);
            assertThat(await(fx.client.list())).isEmpty();
        }

        @Test
        @DisplayName("to an allowed name that resolves to loopback is refused after resolution; the server sees no request")
        void loopbackAfterResolution() {
            fx.deploy(fx.options().withUrls(UrlPolicy.allowing(List.of("localhost"))));
            String secret = url("localhost", "/secret.txt");

            ReplyException refused = refusal(fx.client.submit(spec("docs", secret)));

            assertThat(refused.failureCode()).isEqualTo(400);
            assertThat(refused.getMessage()).contains("- sources[0]: " + secret + ": host localhost resolves to ",
                    "a loopback address, which is refused unless listed explicitly in fetch.allowHosts");
            assertThat(requests).hasValue(0);
        }

        @Test
        @DisplayName("to 127.0.0.1 listed explicitly is fetched and indexed")
        void allowListed() {
            fx.deploy(fx.options().withUrls(UrlPolicy.allowing(List.of("127.0.0.1"))));

            JsonObject last = end(fx.submit(spec("feed", url("127.0.0.1", "/feed.jsonl"))));

            assertThat(last.getString("state")).isEqualTo("SUCCEEDED");
            assertThat(requests).hasValue(1);
        }

        @Test
        @DisplayName("answered with a redirect is not followed: the job ends FAILED saying so, not SUCCEEDED")
        void redirectRefused() {
            fx.deploy(fx.options().withUrls(UrlPolicy.allowing(List.of("127.0.0.1"))));
            String moved = url("127.0.0.1", "/moved.jsonl");

            JsonObject last = end(fx.submit(spec("moved", moved)));

            assertThat(last.getString("state")).isEqualTo("FAILED");
            assertThat(last.getString("error")).contains("GET " + moved + " answered HTTP 302 (a redirect to "
                    + "http://169.254.169.254/latest/meta-data/); redirects are not followed: give the final URL");
            assertThat(requests).hasValue(1);
        }
    }

    @Nested
    @DisplayName("the queue")
    class Queue {

        @Test
        @DisplayName("holds at most limits.queuedPerPrincipal jobs per caller and limits.queuedTotal in all, each a 503 naming the key")
        void quotas() {
            fx.deploy(fx.options().withMaxRunning(1).withLimits(JobLimits.defaults().withQueued(1, 2)));
            Valve valve = fx.binder.valve("running", Valve.closed());
            String running = fx.submit(spec("running", "small.txt"));
            fx.waitFor(running, "it runs", s -> s.getString("state").equals("RUNNING"));

            String queued = fx.submit(spec("second", "small.txt"));
            ReplyException mine = refusal(fx.client.submit(spec("third", "small.txt")));
            String bobs = await(fx.vertx.eventBus().<JsonObject>request(JobAddresses.SUBMIT, spec("bob", "small.txt"),
                    new Caller("bob", Set.of()).writeTo(new DeliveryOptions()))).body().getString("id");
            ReplyException full = refusal(fx.vertx.eventBus().request(JobAddresses.SUBMIT, spec("carol", "small.txt"),
                    new Caller("carol", Set.of()).writeTo(new DeliveryOptions())));

            assertThat(mine.failureCode()).isEqualTo(503);
            assertThat(mine.getMessage()).isEqualTo("internal has 1 jobs queued, the limit per caller "
                    + "(limits.queuedPerPrincipal is 1); wait for some to start, or cancel some");
            assertThat(full.failureCode()).isEqualTo(503);
            assertThat(full.getMessage()).isEqualTo("2 jobs are queued, the limit for the service (limits.queuedTotal "
                    + "is 2); try again when some have started");
            valve.open();
            for (String id : List.of(running, queued, bobs)) {
                assertThat(end(id).getString("state")).isEqualTo("SUCCEEDED");
            }
        }

        @Test
        @DisplayName("counts the jobs queued again after a restart for their callers: the per-caller limit still holds")
        void quotaAfterRestart() {
            SupervisorOptions options = fx.options().withMaxRunning(1).withLimits(JobLimits.defaults().withQueued(1, 10));
            fx.deploy(options);
            Valve valve = fx.binder.valve("held", Valve.closed());
            String internals = fx.submit(spec("held", "small.txt"));
            fx.waitFor(internals, "it runs", s -> s.getString("state").equals("RUNNING"));
            DeliveryOptions asBob = new Caller("bob", Set.of()).writeTo(new DeliveryOptions());
            String bobs = await(fx.vertx.eventBus().<JsonObject>request(JobAddresses.SUBMIT, spec("held", "small.txt"),
                    asBob)).body().getString("id");

            await(fx.undeploy());
            fx.deploy(options);
            // both come back from the ledger; one runs (held by the valve), the other waits in the queue
            fx.waitUntil("one of the two jobs runs again", () -> fx.status(internals).getString("state").equals("RUNNING")
                    || fx.status(bobs).getString("state").equals("RUNNING"));
            boolean bobWaits = fx.status(internals).getString("state").equals("RUNNING");
            String waiting = bobWaits ? "bob" : "internal";
            ReplyException refused = refusal(bobWaits
                    ? fx.vertx.eventBus().request(JobAddresses.SUBMIT, spec("held", "small.txt"), asBob)
                    : fx.client.submit(spec("held", "small.txt")));

            assertThat(refused.failureCode()).isEqualTo(503);
            assertThat(refused.getMessage()).isEqualTo(waiting + " has 1 jobs queued, the limit per caller "
                    + "(limits.queuedPerPrincipal is 1); wait for some to start, or cancel some");
            valve.open();
            for (String id : List.of(internals, bobs)) {
                assertThat(end(id).getString("state")).isEqualTo("SUCCEEDED");
            }
        }
    }
}
