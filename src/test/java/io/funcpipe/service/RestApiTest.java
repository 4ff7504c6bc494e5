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
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The REST job API of one in-process service node (hash embedder), over real HTTP. */
@DisplayName("the REST job API (/v1/jobs)")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {

    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private Service service;
    private Path samples;
    private Path big;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @BeforeAll
    void start(@TempDir Path tmp) throws IOException {
        samples = Path.of("samples/sotu").toAbsolutePath();
        Path input = tmp.resolve("input");
        Files.createDirectories(input);
        big = input.resolve("big.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(big)) {
            String text = Files.readString(samples.resolve("1862_abraham_lincoln_r.txt")).replace("\"", "'")
                    .replace("\\", " ").replaceAll("\\s+", " ");
            for (int i = 0; i < 2_000; i++) {
                w.write("{\"id\":\"d" + i + "\",\"text\":\"" + text + "\"}\n");
            }
        }
        ServiceConfig defaults = ServiceConfigLoader.load(Optional.empty(), Map.of());
        service = Service.start(new ServiceConfig(new ServiceConfig.Http("127.0.0.1", 0), List.of(samples, input),
                new ServiceConfig.Index(tmp.resolve("indexes")), defaults.stages(), defaults.transport(),
                new ServiceConfig.Embedder(EmbedderSpec.Kind.HASH, defaults.embedder().openai()),
                new ServiceConfig.Jobs(2, Duration.ofMillis(100), Duration.ofMinutes(2), 1000, Duration.ofDays(7)),
                new ServiceConfig.Shutdown(Duration.ZERO), defaults.cluster()), LIMIT);
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.stop(LIMIT);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.httpPort() + path);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(LIMIT);
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String submit(Path source, String index) throws Exception {
        HttpResponse<String> response = send("POST", "/v1/jobs", spec(source, index).encode());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new JsonObject(response.body()).getString("id");
    }

    private static JsonObject spec(Path source, String index) {
        return new JsonObject().put("sources", new JsonArray().add(source.toString())).put("index", index);
    }

    private JsonObject status(String id) throws Exception {
        HttpResponse<String> response = send("GET", "/v1/jobs/" + id, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private JsonObject poll(String id, Predicate<JsonObject> condition) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonObject status = status(id);
        while (!condition.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " never reached the condition; last status " + status.encodePrettily());
            }
            Thread.sleep(20);
            status = status(id);
        }
        return status;
    }

    /** Every event of the stream, read until the server ends it. */
    private List<JsonObject> events(String id) throws Exception {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(uri("/v1/jobs/" + id + "/events"))
                .timeout(LIMIT).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        try (Stream<String> lines = response.body()) {
            return lines.filter(line -> line.startsWith("data: ")).map(line -> new JsonObject(line.substring(6))).toList();
        }
    }

    private static JsonObject error(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return new JsonObject(response.body());
    }

    @Nested
    @DisplayName("a job submitted over REST")
    class Submitted {

        @Test
        @DisplayName("is created (201, Location), has a status, is listed, and streams progress to a final event with its report")
        void submitStatusListEvents() throws Exception {
            HttpResponse<String> created = send("POST", "/v1/jobs", spec(samples, "rest-sotu").encode());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = new JsonObject(created.body()).getString("id");
            assertThat(created.headers().firstValue("Location")).hasValue("/v1/jobs/" + id);

            JsonObject first = status(id);
            assertThat(first.getString("id")).isEqualTo(id);
            assertThat(first.getJsonObject("spec").getString("index")).isEqualTo("rest-sotu");

            List<JsonObject> events = events(id);
            assertThat(events).isNotEmpty();
            assertThat(events).allSatisfy(e -> assertThat(e.getString("id")).isEqualTo(id));
            assertThat(events.subList(0, events.size() - 1)).allSatisfy(e -> assertThat(e.getBoolean("final", false)).isFalse());
            JsonObject last = events.get(events.size() - 1);
            assertThat(last.getBoolean("final")).isTrue();
            assertThat(last.getString("state")).isEqualTo("SUCCEEDED");
            assertThat(last.getJsonObject("report").getLong("documentsRead")).isEqualTo(4);

            HttpResponse<String> listed = send("GET", "/v1/jobs", null);
            assertThat(listed.statusCode()).isEqualTo(200);
            JsonObject page = new JsonObject(listed.body());
            assertThat(page.getJsonArray("jobs").stream().map(j -> ((JsonObject) j).getString("id"))).contains(id);
            assertThat(page.getLong("total")).isPositive();
        }

        @Test
        @DisplayName("that has ended streams its final status as the only event")
        void eventsOfAnEndedJob() throws Exception {
            String id = submit(samples, "rest-ended");
            JsonObject ended = poll(id, s -> ENDED.contains(s.getString("state")));

            List<JsonObject> events = events(id);

            assertThat(events).hasSize(1);
            assertThat(events.get(0).getBoolean("final")).isTrue();
            assertThat(events.get(0).getString("state")).isEqualTo(ended.getString("state"));
            assertThat(events.get(0).getJsonObject("report")).isEqualTo(ended.getJsonObject("report"));
        }

        @Test
        @DisplayName("is cancelled by DELETE, which answers with its ended status: queued -> CANCELLED at once, running -> ended")
        void cancel() throws Exception {
            String running = submit(big, "rest-cancel");
            poll(running, s -> "RUNNING".equals(s.getString("state")));
            String queued = submit(samples, "rest-cancel"); // one job writes an index at a time: this one waits
            assertThat(status(queued).getString("state")).isEqualTo("QUEUED");

            HttpResponse<String> cancelledQueued = send("DELETE", "/v1/jobs/" + queued, null);
            HttpResponse<String> cancelledRunning = send("DELETE", "/v1/jobs/" + running, null);

            assertThat(cancelledQueued.statusCode()).as(cancelledQueued.body()).isEqualTo(200);
            assertThat(new JsonObject(cancelledQueued.body()).getString("state")).isEqualTo("CANCELLED");
            assertThat(cancelledRunning.statusCode()).as(cancelledRunning.body()).isEqualTo(200);
            assertThat(ENDED).contains(new JsonObject(cancelledRunning.body()).getString("state"));
            assertThat(status(queued).getString("state")).isEqualTo("CANCELLED");
        }
    }

    @Nested
    @DisplayName("a bad request")
    class BadRequests {

        @Test
        @DisplayName("a body that is not JSON is a 400 for the request as a whole")
        void notJson() throws Exception {
            JsonObject error = error(send("POST", "/v1/jobs", "{\"sources\": [\"x\""), 400);
            assertThat(error.getString("error")).contains("not a JSON object");
            assertThat(error.getString("field")).isEmpty();
        }

        @Test
        @DisplayName("an empty body and a JSON array are 400s")
        void emptyOrNotAnObject() throws Exception {
            assertThat(error(send("POST", "/v1/jobs", ""), 400).getString("error")).contains("empty");
            assertThat(error(send("POST", "/v1/jobs", "[1, 2]"), 400).getString("error")).contains("not a JSON object");
        }

        @Test
        @DisplayName("an invalid spec is a 400 naming the first bad field, with every problem by field")
        void invalidSpec() throws Exception {
            JsonObject spec = spec(samples, "ok").put("weight", 0).put("colour", "red");

            JsonObject error = error(send("POST", "/v1/jobs", spec.encode()), 400);

            assertThat(error.getString("error")).startsWith("invalid job spec (2 problems)");
            List<String> fields = error.getJsonArray("problems").stream().map(p -> ((JsonObject) p).getString("field")).toList();
            assertThat(fields).containsExactlyInAnyOrder("weight", "colour");
            assertThat(error.getString("field")).isEqualTo(fields.get(0));
            assertThat(error.getJsonArray("problems").getJsonObject(0).getString("message")).startsWith(fields.get(0));
        }

        @Test
        @DisplayName("a nested bad field is named by its path")
        void nestedField() throws Exception {
            JsonObject spec = spec(samples, "ok").put("chunking", new JsonObject().put("overlap", -1));

            JsonObject error = error(send("POST", "/v1/jobs", spec.encode()), 400);

            assertThat(error.getString("field")).isEqualTo("chunking.overlap");
        }

        @Test
        @DisplayName("list paging that is not a whole number, or out of range, is a 400 naming offset or limit")
        void badPaging() throws Exception {
            assertThat(error(send("GET", "/v1/jobs?limit=ten", null), 400).getString("field")).isEqualTo("limit");
            assertThat(error(send("GET", "/v1/jobs?offset=-1", null), 400).getString("field")).isEqualTo("offset");
            JsonObject range = error(send("GET", "/v1/jobs?limit=0", null), 400);
            assertThat(range.getString("field")).isEqualTo("limit");
            assertThat(range.getString("error")).contains("limit must be");
        }

        @Test
        @DisplayName("an unknown job is a 404 for status, cancel and events")
        void unknownJob() throws Exception {
            for (String[] request : new String[][] {{"GET", "/v1/jobs/no-such-job"}, {"DELETE", "/v1/jobs/no-such-job"},
                    {"GET", "/v1/jobs/no-such-job/events"}}) {
                JsonObject error = error(send(request[0], request[1], null), 404);
                assertThat(error.getString("error")).as(request[0] + " " + request[1]).contains("no job has id no-such-job");
            }
        }
    }
}
