package io.funcpipe.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.service.job.JobClient;
import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** One service node in this JVM (local event bus, stages over it, hash embedder), driven through its job API. */
@DisplayName("a service node: stages over the event bus, the supervisor and the HTTP shell")
class ServiceTest {

    private static final Duration LIMIT = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    private Service service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop(LIMIT);
        }
    }

    private ServiceConfig config(Path inputRoot, Duration grace) {
        ServiceConfig defaults = ServiceConfigLoader.load(Optional.empty(), Map.of());
        return new ServiceConfig(new ServiceConfig.Http("127.0.0.1", 0), List.of(inputRoot),
                new ServiceConfig.Index(tmp.resolve("indexes")), defaults.stages(), defaults.transport(),
                new ServiceConfig.Embedder(EmbedderSpec.Kind.HASH, defaults.embedder().openai()),
                new ServiceConfig.Jobs(2, Duration.ofMillis(100), Duration.ofMinutes(2), 1000, Duration.ofDays(7)), new ServiceConfig.Shutdown(grace), defaults.cluster());
    }

    private static JsonObject spec(Path source, String index) {
        return new JsonObject().put("sources", new JsonArray().add(source.toString())).put("index", index);
    }

    @Test
    @DisplayName("is ready, runs a submitted job to a final report that accounts for every document, and counts its embed work")
    void submitFollowReport() throws Exception {
        Path samples = Path.of("samples/sotu").toAbsolutePath();
        service = Service.start(config(samples, Duration.ofSeconds(5)), LIMIT);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);

        JobClient jobs = new JobClient(service.vertx());
        List<JsonObject> progress = new CopyOnWriteArrayList<>();
        JsonObject end = jobs.submitAndFollow(spec(samples, "sotu"), progress::add).await(LIMIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(end.getString("state")).isEqualTo("SUCCEEDED");
        long inputBytes;
        try (var files = java.nio.file.Files.list(samples)) {
            inputBytes = files.mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(end.getJsonObject("bytes").getLong("total")).as("the input's size, known once the session opened")
                .isEqualTo(inputBytes);
        JsonObject report = end.getJsonObject("report");
        assertThat(report.getLong("documentsRead")).isEqualTo(4);
        assertThat(report.getLong("documentsFailed")).isZero();
        long chunks = report.getLong("chunksIndexed");
        assertThat(chunks).isPositive();
        assertThat(report.getString("index")).isEqualTo(tmp.resolve("indexes").resolve("sotu").toAbsolutePath().toString());
        String metrics = get("/metrics").body();
        assertThat(embedded(metrics)).isEqualTo(chunks);
        assertThat(metrics).contains("funcpipe_stage_request_seconds_count{address=\"funcpipe.stage.embed\"",
                "funcpipe_stage_requests_in_flight", "funcpipe_jobs_ended_total");
        try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(tmp.resolve("indexes/sotu")).fold(i -> i, e -> {
            throw new AssertionError(e.message());
        })) {
            assertThat(index.count()).isEqualTo(chunks);
        }
    }

    @Test
    @DisplayName("a job needing a stage no node hosts waits visibly, runs once the stage comes, and fails after jobs.stageWait if it never does")
    void waitsForAMissingStage() throws Exception {
        Path samples = Path.of("samples/sotu").toAbsolutePath();
        ServiceConfig base = config(samples, Duration.ofSeconds(5));
        ServiceConfig noEmbed = new ServiceConfig(base.http(), base.inputRoots(), base.index(),
                new ServiceConfig.Stages(java.util.EnumSet.of(ServiceConfig.Stage.PARSE, ServiceConfig.Stage.CLEAN,
                        ServiceConfig.Stage.INDEX), base.stages().instances()),
                base.transport(), base.embedder(), new ServiceConfig.Jobs(2, Duration.ofMillis(100), Duration.ofSeconds(3),
                1000, Duration.ofDays(7)), base.shutdown(), base.cluster());
        service = Service.start(noEmbed, LIMIT);
        JobClient jobs = new JobClient(service.vertx(), io.funcpipe.service.client.ClientOptions.defaults().withPollEvery(Duration.ofMillis(200)));

        String never = jobs.submit(spec(samples, "never")).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
        JsonObject waiting = poll(jobs, never, s -> s.getString("waiting") != null);
        assertThat(waiting.getString("waiting")).isEqualTo("waiting for stage embed");
        assertThat(waiting.getString("state")).isEqualTo("RUNNING");
        JsonObject failed = poll(jobs, never, s -> "FAILED".equals(s.getString("state")));
        assertThat(failed.getString("error")).contains("waiting for stage embed", "no node hosts the stage at funcpipe.stage.embed");
        assertThat(failed.getString("waiting")).isNull();

        String later = jobs.submit(spec(samples, "later")).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
        poll(jobs, later, s -> s.getString("waiting") != null);
        io.funcpipe.service.bus.StageHost embed = io.funcpipe.service.bus.StageHost.start(service.vertx(),
                io.funcpipe.service.bus.StageHostOptions.of(java.util.Set.of(io.funcpipe.service.bus.BusStage.EMBED), 1,
                        new io.funcpipe.adapters.embed.EmbedderSpec(io.funcpipe.adapters.embed.EmbedderSpec.Kind.HASH, 0, null, io.funcpipe.core.policy.Policies.DEFAULT),
                        tmp.resolve("embed-indexes"))).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
        try {
            JsonObject end = poll(jobs, later, s -> List.of("SUCCEEDED", "FAILED").contains(s.getString("state")));
            assertThat(end.getString("state")).as(end.encodePrettily()).isEqualTo("SUCCEEDED");
            assertThat(end.getJsonObject("report").getLong("documentsRead")).isEqualTo(4);
        } finally {
            embed.close().await(LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static JsonObject poll(JobClient jobs, String id, java.util.function.Predicate<JsonObject> condition)
            throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonObject status = jobs.status(id).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
        while (!condition.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " never reached the condition; last status " + status.encodePrettily());
            }
            Thread.sleep(20);
            status = jobs.status(id).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
        return status;
    }

    @Test
    @DisplayName("a start that fails (the HTTP port is taken) says why and releases what it had started")
    void failedStartReleases() throws Exception {
        Path samples = Path.of("samples/sotu").toAbsolutePath();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            ServiceConfig base = config(samples, Duration.ofSeconds(5));
            ServiceConfig busy = new ServiceConfig(new ServiceConfig.Http("127.0.0.1", taken.getLocalPort()),
                    base.inputRoots(), base.index(), base.stages(), base.transport(), base.embedder(), base.jobs(),
                    base.shutdown(), base.cluster());
            Throwable failure = catchFailure(() -> Service.start(busy, LIMIT));
            assertThat(failure).isNotNull();
            assertThat(failure.getMessage()).contains(String.valueOf(taken.getLocalPort()));
        }
        // the failed start released its index writer and stages: a node on the same index folder starts and works
        service = Service.start(config(samples, Duration.ofSeconds(5)), LIMIT);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a spec with a bad field is refused with a message naming it")
    void invalidSpec() throws Exception {
        Path samples = Path.of("samples/sotu").toAbsolutePath();
        service = Service.start(config(samples, Duration.ofSeconds(5)), LIMIT);
        JobClient jobs = new JobClient(service.vertx());
        Throwable refused = catchFailure(() -> jobs.submit(spec(samples, "../escape")).await(LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).contains("index", "../escape");
    }

    @Test
    @DisplayName("stopping with a job running cancels it, keeps what was committed and releases every session, index and worker")
    void stopReleasesEverything() throws Exception {
        Path input = tmp.resolve("input");
        Files.createDirectories(input);
        Path big = input.resolve("big.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(big)) {
            String text = Files.readString(Path.of("samples/sotu/1862_abraham_lincoln_r.txt")).replace("\"", "'")
                    .replace("\\", " ").replaceAll("\\s+", " ");
            for (int i = 0; i < 2_000; i++) {
                w.write("{\"id\":\"d" + i + "\",\"text\":\"" + text + "\"}\n");
            }
        }
        service = Service.start(config(input, Duration.ZERO), LIMIT);
        JobClient jobs = new JobClient(service.vertx());
        String id = jobs.submit(spec(big, "big")).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long indexed = 0;
        while (indexed == 0 && System.nanoTime() < deadline) {
            JsonObject status = jobs.status(id).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
            indexed = status.getJsonObject("stages").getJsonObject("index").getLong("ok");
            Thread.sleep(20);
        }
        assertThat(indexed).as("the job got going").isPositive();
        assertThat(service.resources().sourceSessions()).as("the job's source session is open").isPositive();

        service.stop(LIMIT);

        assertThat(service.resources().allZero()).as("resources after stop: %s", service.resources()).isTrue();
        try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(tmp.resolve("indexes/big")).fold(i -> i, e -> {
            throw new AssertionError(e.message());
        })) {
            assertThat(index.count()).as("what was indexed before the stop was committed").isPositive();
        }
    }

    private static Throwable catchFailure(ThrowingRunnable action) {
        try {
            action.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static long embedded(String metrics) {
        Matcher m = Pattern.compile("(?m)^funcpipe_stage_items_total\\{[^}]*stage=\"embed\"[^}]*} ([0-9.Ee+]+)$").matcher(metrics);
        assertThat(m.find()).as("the embed stage's counter in /metrics").isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
