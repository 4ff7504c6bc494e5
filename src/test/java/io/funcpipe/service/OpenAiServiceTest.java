package io.funcpipe.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.embed.FakeEmbeddingsServer;
import io.funcpipe.service.bus.ModelProbe;
import io.funcpipe.service.job.JobClient;
import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A service node whose embed stage calls an OpenAI-compatible server (a fake one on 127.0.0.1). */
@DisplayName("a service node embedding with an OpenAI-compatible server")
class OpenAiServiceTest {

    private static final Duration LIMIT = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    private Vertx serverVertx;
    private FakeEmbeddingsServer server;
    private Service service;

    @BeforeEach
    void startServer() {
        serverVertx = Vertx.vertx();
        server = new FakeEmbeddingsServer(serverVertx);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop(LIMIT);
        }
        server.close();
        serverVertx.close().await();
    }

    private ServiceConfig config(Path inputRoot) {
        ServiceConfig defaults = ServiceConfigLoader.load(Optional.empty(), Map.of());
        return new ServiceConfig(new ServiceConfig.Http("127.0.0.1", 0), List.of(inputRoot),
                new ServiceConfig.Index(tmp.resolve("indexes")), defaults.stages(), defaults.transport(),
                new ServiceConfig.Embedder(EmbedderSpec.Kind.OPENAI,
                        new ServiceConfig.OpenAi(server.url(), "fake", FakeEmbeddingsServer.DIMS, "")),
                new ServiceConfig.Jobs(2, Duration.ofMillis(100), Duration.ofMinutes(2), 1000, Duration.ofDays(7)),
                new ServiceConfig.Shutdown(Duration.ofSeconds(5)),
                defaults.cluster());
    }

    @Test
    @DisplayName("an embed batch that keeps failing is sent maxAttempts times in all, not once per retry layer")
    void oneRetryLayer() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        Files.writeString(input.resolve("one.txt"), "One short document that makes a single chunk.");
        server.otherwise = 500;
        service = Service.start(config(input), LIMIT);

        JsonObject spec = new JsonObject().put("sources", new JsonArray().add(input.resolve("one.txt").toString()))
                .put("index", "one").put("policies", new JsonObject().put("retry", new JsonObject()
                        .put("maxAttempts", 3).put("initialBackoff", "10ms").put("maxBackoff", "10ms")));
        JsonObject end = new JobClient(service.vertx()).submitAndFollow(spec, progress -> { })
                .await(LIMIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(end.getJsonObject("report").getLong("chunksFailed")).as("the one chunk failed").isEqualTo(1);
        assertThat(server.requestsWithout(ModelProbe.PROBE_TEXT)).as("requests for the job's one batch").isEqualTo(3);
    }

    @Test
    @DisplayName("is not ready while the model's server fails, names the model's problem, and becomes ready once it answers")
    void modelReadiness() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        server.otherwise = 503;
        service = Service.start(config(input), LIMIT);

        HttpResponse<String> down = get("/health/ready");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("model", "did not answer a probe", "503");

        server.otherwise = 200;
        long deadline = System.nanoTime() + LIMIT.toNanos();
        int status = down.statusCode();
        while (status != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = get("/health/ready").statusCode();
        }
        assertThat(status).as("ready once the model answers a probe").isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
