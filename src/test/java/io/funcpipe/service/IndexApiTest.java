package io.funcpipe.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.service.bus.IndexAddresses;
import io.funcpipe.service.job.Caller;
import io.funcpipe.service.job.JobClient;
import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceConfigLoader;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The index API of one service node (hash embedder): GET /v1/indexes, POST /v1/indexes/{name}/search
 * and the bus messages behind them, over six short speeches ingested by a job.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("the index API: listing and searching indexes over HTTP and the event bus")
class IndexApiTest {

    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final String SPEECHES = """
            {"id":"lincoln","text":"The dogmas of the quiet past are inadequate to the stormy present. We must disenthrall ourselves, and then we shall save our country.","president":"Lincoln","year":"1862"}
            {"id":"washington","text":"To be prepared for war is one of the most effectual means of preserving peace. A free people ought not only to be armed.","president":"Washington","year":"1790"}
            {"id":"roosevelt","text":"We look forward to a world founded upon four essential human freedoms: freedom of speech and expression, freedom of worship.","president":"Roosevelt","year":"1941"}
            {"id":"bush","text":"Our war against terror is only beginning. We will protect our nation and our freedoms.","president":"Bush","year":"2002"}
            {"id":"kennedy","text":"The tide of human freedom can rise and prosper only where the nation is strong.","president":"Kennedy","year":"1961"}
            {"id":"jefferson","text":"Peace, commerce, and honest friendship with all nations, entangling alliances with none.","president":"Jefferson","year":"1801"}
            """;

    private Path tmp;

    private Service service;

    @BeforeAll
    void ingest(@TempDir Path dir) throws Exception {
        tmp = dir;
        Path input = Files.createDirectories(tmp.resolve("input"));
        Files.writeString(input.resolve("speeches.jsonl"), SPEECHES);
        service = Service.start(config(tmp, input, null), LIMIT);
        JsonObject end = new JobClient(service.vertx()).submitAndFollow(new JsonObject()
                        .put("sources", new JsonArray().add(input.resolve("speeches.jsonl").toString())).put("index", "speeches"),
                ignored -> { }).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(end.getString("state")).as(end.encodePrettily()).isEqualTo("SUCCEEDED");
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.stop(LIMIT);
        }
    }

    static ServiceConfig config(Path tmp, Path inputRoot, EnumSet<ServiceConfig.Stage> stages) {
        ServiceConfig defaults = ServiceConfigLoader.load(Optional.empty(), Map.of());
        return new ServiceConfig(new ServiceConfig.Http("127.0.0.1", 0), List.of(inputRoot),
                new ServiceConfig.Index(tmp.resolve("indexes")),
                stages == null ? defaults.stages() : new ServiceConfig.Stages(stages, defaults.stages().instances()),
                defaults.transport(), new ServiceConfig.Embedder(EmbedderSpec.Kind.HASH, defaults.embedder().openai()),
                new ServiceConfig.Jobs(2, Duration.ofMillis(100), Duration.ofMinutes(2), 1000, Duration.ofDays(7)),
                new ServiceConfig.Shutdown(Duration.ofSeconds(5)), defaults.cluster());
    }

    private HttpResponse<String> http(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
                .timeout(Duration.ofSeconds(60));
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject search(String body) throws Exception {
        HttpResponse<String> response = http("POST", "/v1/indexes/speeches/search", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return new JsonObject(response.body());
    }

    private static List<String> documents(JsonObject reply) {
        return reply.getJsonArray("hits").stream().map(h -> ((JsonObject) h).getString("documentId")).toList();
    }

    private JsonObject refused(String path, String body, int status) throws Exception {
        HttpResponse<String> response = http("POST", path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return new JsonObject(response.body());
    }

    @Nested
    @DisplayName("GET /v1/indexes")
    class Listing {

        @Test
        @DisplayName("names each index with its chunks, documents and embedder")
        void lists() throws Exception {
            HttpResponse<String> response = http("GET", "/v1/indexes", null);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonArray indexes = new JsonObject(response.body()).getJsonArray("indexes");
            assertThat(indexes).hasSize(1);
            JsonObject speeches = indexes.getJsonObject(0);
            assertThat(speeches.getString("name")).isEqualTo("speeches");
            assertThat(speeches.getLong("documents")).isEqualTo(6);
            assertThat(speeches.getLong("chunks")).isGreaterThanOrEqualTo(6);
            assertThat(speeches.getString("embedder")).isEqualTo("hash");
            assertThat(speeches.getInteger("dimensions")).isEqualTo(HashingEmbedder.DEFAULT_DIMENSIONS);
        }
    }

    @Nested
    @DisplayName("POST /v1/indexes/{name}/search")
    class Searching {

        @Test
        @DisplayName("vector mode (the default) embeds the query with the index's embedder; hits carry every field")
        void vector() throws Exception {
            JsonObject reply = search("{\"query\": \"we must disenthrall ourselves\", \"k\": 3}");
            assertThat(reply.getString("mode")).isEqualTo("vector");
            JsonArray hits = reply.getJsonArray("hits");
            assertThat(hits).hasSize(3);
            JsonObject best = hits.getJsonObject(0);
            assertThat(best.getString("documentId")).isEqualTo("lincoln");
            assertThat(best.getString("chunkId")).isNotBlank();
            assertThat(best.getString("location")).contains("speeches.jsonl:1");
            assertThat(best.getString("text")).contains("disenthrall");
            assertThat(best.getJsonObject("metadata").getMap()).containsEntry("president", "Lincoln").containsEntry("year", "1862");
            assertThat(best.getDouble("score")).isGreaterThan(hits.getJsonObject(2).getDouble("score")).isLessThanOrEqualTo(1.0);
        }

        @Test
        @DisplayName("a given vector is searched as it is")
        void givenVector() throws Exception {
            JsonArray vector = new JsonArray();
            for (float f : HashingEmbedder.of().vector("Peace, commerce, and honest friendship with all nations")) {
                vector.add(f);
            }
            JsonObject reply = search(new JsonObject().put("vector", vector).put("k", 1).encode());
            assertThat(documents(reply)).containsExactly("jefferson");
        }

        @Test
        @DisplayName("keyword mode ranks by BM25 over the words; a word in no chunk finds nothing")
        void keyword() throws Exception {
            assertThat(documents(search("{\"query\": \"freedom\", \"mode\": \"keyword\"}")))
                    .containsExactly("roosevelt", "kennedy");
            assertThat(documents(search("{\"query\": \"zeppelin\", \"mode\": \"keyword\"}"))).isEmpty();
        }

        @Test
        @DisplayName("hybrid mode fuses both rankings: a chunk first in both is first")
        void hybrid() throws Exception {
            JsonObject reply = search("{\"query\": \"disenthrall ourselves\", \"mode\": \"hybrid\", \"k\": 4}");
            assertThat(reply.getString("mode")).isEqualTo("hybrid");
            assertThat(documents(reply)).hasSize(4).first().isEqualTo("lincoln");
            assertThat(reply.getJsonArray("hits").getJsonObject(0).getDouble("score")).isCloseTo(2.0 / 61, org.assertj.core.data.Offset.offset(1e-6));
        }

        @Test
        @DisplayName("filters on metadata: a text equals, a number equals as a number, {min, max} is a range")
        void filters() throws Exception {
            assertThat(documents(search("{\"query\": \"freedom freedoms\", \"mode\": \"keyword\", \"filter\": {\"president\": \"Bush\"}}")))
                    .containsExactly("bush");
            assertThat(documents(search("{\"query\": \"freedom freedoms\", \"mode\": \"keyword\", \"filter\": {\"year\": 1941}}")))
                    .containsExactly("roosevelt");
            assertThat(documents(search("{\"query\": \"freedom freedoms peace\", \"mode\": \"keyword\", \"filter\": {\"year\": {\"min\": 1900}}}")))
                    .containsExactlyInAnyOrder("roosevelt", "bush", "kennedy");
            assertThat(documents(search("{\"query\": \"nations\", \"k\": 10, \"filter\": {\"year\": {\"max\": 1800}}}")))
                    .containsExactly("washington");
        }

        @Test
        @DisplayName("minScore drops the hits scoring below it")
        void minScore() throws Exception {
            assertThat(documents(search("{\"query\": \"peace\", \"k\": 6, \"minScore\": 1.5}"))).isEmpty();
            assertThat(documents(search("{\"query\": \"peace\", \"k\": 6, \"minScore\": -1}"))).hasSize(6);
        }
    }

    @Nested
    @DisplayName("bad requests over HTTP")
    class BadRequests {

        @Test
        @DisplayName("an unknown index is a 404")
        void unknownIndex() throws Exception {
            JsonObject error = refused("/v1/indexes/nope/search", "{\"query\": \"peace\"}", 404);
            assertThat(error.getString("error")).contains("no index is named 'nope'");
        }

        @Test
        @DisplayName("a body that is not a JSON object is a 400 about the body")
        void badJson() throws Exception {
            assertThat(refused("/v1/indexes/speeches/search", "{\"query\": ", 400).getString("field")).isEqualTo("body");
            assertThat(refused("/v1/indexes/speeches/search", "[1, 2]", 400).getString("field")).isEqualTo("body");
            assertThat(refused("/v1/indexes/speeches/search", "", 400).getString("field")).isEqualTo("body");
        }

        @Test
        @DisplayName("a field of the wrong type or value is a 400 naming it")
        void badFields() throws Exception {
            assertThat(refused("/v1/indexes/speeches/search", "{\"query\": \"x\", \"k\": \"ten\"}", 400).getString("field")).isEqualTo("k");
            JsonObject zero = refused("/v1/indexes/speeches/search", "{\"query\": \"x\", \"k\": 0}", 400);
            assertThat(zero.getString("field")).isEqualTo("k");
            assertThat(zero.getString("error")).isEqualTo("must be from 1 to 1000, got 0");
            assertThat(refused("/v1/indexes/speeches/search", "{\"query\": \"x\", \"k\": 1001}", 400).getString("field")).isEqualTo("k");
            assertThat(refused("/v1/indexes/speeches/search", "{\"query\": \"x\", \"mode\": \"fuzzy\"}", 400).getString("field")).isEqualTo("mode");
            assertThat(refused("/v1/indexes/speeches/search", "{\"query\": 3}", 400).getString("field")).isEqualTo("query");
            assertThat(refused("/v1/indexes/speeches/search", "{\"k\": 3}", 400).getString("field")).isEqualTo("query");
            assertThat(refused("/v1/indexes/speeches/search", "{\"query\": \"x\", \"colour\": 1}", 400).getString("field")).isEqualTo("colour");
            assertThat(refused("/v1/indexes/speeches/search", "{\"query\": \"x\", \"minScore\": \"high\"}", 400).getString("field")).isEqualTo("minScore");
            assertThat(refused("/v1/indexes/speeches/search", "{\"query\": \"x\", \"filter\": {\"year\": [1]}}", 400).getString("field")).isEqualTo("filter.year");
            assertThat(refused("/v1/indexes/speeches/search", "{\"vector\": [0.5, 0.5]}", 400).getString("field")).isEqualTo("vector");
            assertThat(refused("/v1/indexes/speeches/search", "{\"query\": \"x\", \"index\": \"other\"}", 400).getString("field")).isEqualTo("index");
            assertThat(refused("/v1/indexes/..%2Fetc/search", "{\"query\": \"x\"}", 400).getString("field")).isEqualTo("index");
        }
    }

    @Nested
    @DisplayName("the bus messages")
    class Bus {

        private JsonObject ask(String address, JsonObject body) throws Exception {
            return service.vertx().eventBus().<JsonObject>request(address, body,
                            new Caller("alice", java.util.Set.of("reader")).writeTo(new DeliveryOptions()))
                    .await(LIMIT.toSeconds(), TimeUnit.SECONDS).body();
        }

        private ReplyException failure(JsonObject body) {
            try {
                service.vertx().eventBus().request(IndexAddresses.SEARCH, body).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ReplyException e) {
                return e;
            } catch (Exception e) {
                throw new AssertionError("expected a failure reply, got " + e, e);
            }
            throw new AssertionError("expected a failure reply to " + body);
        }

        @Test
        @DisplayName("funcpipe.index.search and funcpipe.index.list answer as the HTTP routes do")
        void answers() throws Exception {
            JsonObject reply = ask(IndexAddresses.SEARCH, new JsonObject().put("index", "speeches").put("query", "freedom")
                    .put("mode", "keyword"));
            assertThat(documents(reply)).containsExactly("roosevelt", "kennedy");
            assertThat(ask(IndexAddresses.LIST, new JsonObject()).getJsonArray("indexes").getJsonObject(0).getString("name"))
                    .isEqualTo("speeches");
        }

        @Test
        @DisplayName("funcpipe.index.search and funcpipe.index.list are permitted on the SockJS bridge; the stages stay closed")
        void overTheBridge() throws Exception {
            try (io.funcpipe.service.client.BridgeConnection bridge = io.funcpipe.service.client.BridgeConnection
                    .open(service.vertx(), "http://127.0.0.1:" + service.httpPort()).await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                Object reply = bridge.request(IndexAddresses.SEARCH, new JsonObject().put("index", "speeches")
                        .put("query", "freedom").put("mode", "keyword")).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(documents((JsonObject) reply)).containsExactly("roosevelt", "kennedy");
                Object list = bridge.request(IndexAddresses.LIST, new JsonObject()).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(((JsonObject) list).getJsonArray("indexes")).hasSize(1);
                Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> bridge.request(
                        IndexAddresses.SEARCH, new JsonObject().put("index", "nope").put("query", "x"))
                        .await(LIMIT.toSeconds(), TimeUnit.SECONDS));
                assertThat(refused).isInstanceOfSatisfying(ReplyException.class,
                        e -> assertThat(e.failureCode()).isEqualTo(IndexAddresses.NOT_FOUND));
                Throwable denied = org.assertj.core.api.Assertions.catchThrowable(() -> bridge.request(
                        "funcpipe.stage.index", new JsonObject()).await(LIMIT.toSeconds(), TimeUnit.SECONDS));
                assertThat(denied).isNotNull();
            }
        }

        @Test
        @DisplayName("refusals are failure replies: 404 for an unknown index, 400 with the field first in the message")
        void refusals() {
            ReplyException unknown = failure(new JsonObject().put("index", "nope").put("query", "x"));
            assertThat(unknown.failureCode()).isEqualTo(IndexAddresses.NOT_FOUND);
            ReplyException k = failure(new JsonObject().put("index", "speeches").put("query", "x").put("k", 5000));
            assertThat(k.failureCode()).isEqualTo(IndexAddresses.BAD_REQUEST);
            assertThat(k.getMessage()).isEqualTo("k: must be from 1 to 1000, got 5000");
            ReplyException noIndex = failure(new JsonObject().put("query", "x"));
            assertThat(noIndex.getMessage()).startsWith("index: ");
            assertThat(failure(null).getMessage()).startsWith("body: ");
        }
    }

    @Test
    @DisplayName("funcpipe.index.delete and POST /v1/indexes/{name}/delete remove documents in one commit; bad requests name the field")
    void deletesDocuments() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("deleting"));
        Path input = Files.createDirectories(root.resolve("input"));
        Files.writeString(input.resolve("speeches.jsonl"), SPEECHES);
        Service own = Service.start(config(root, input, null), LIMIT);
        try {
            JsonObject end = new JobClient(own.vertx()).submitAndFollow(new JsonObject()
                            .put("sources", new JsonArray().add(input.resolve("speeches.jsonl").toString())).put("index", "speeches"),
                    ignored -> { }).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(end.getString("state")).as(end.encodePrettily()).isEqualTo("SUCCEEDED");
            DeliveryOptions alice = new Caller("alice", java.util.Set.of("reader")).writeTo(new DeliveryOptions());
            JsonObject freedom = new JsonObject().put("index", "speeches").put("query", "freedom").put("mode", "keyword");
            assertThat(documents(own.vertx().eventBus().<JsonObject>request(IndexAddresses.SEARCH, freedom, alice)
                    .await(LIMIT.toSeconds(), TimeUnit.SECONDS).body())).contains("roosevelt", "kennedy");

            JsonObject deleted = own.vertx().eventBus().<JsonObject>request(IndexAddresses.DELETE, new JsonObject()
                    .put("index", "speeches").put("ids", new JsonArray().add("roosevelt").add("nobody")), alice)
                    .await(LIMIT.toSeconds(), TimeUnit.SECONDS).body();
            assertThat(deleted.getLong("requested")).isEqualTo(2);
            assertThat(deleted.getLong("documents")).isEqualTo(1);
            assertThat(deleted.getLong("chunks")).isPositive();
            assertThat(documents(own.vertx().eventBus().<JsonObject>request(IndexAddresses.SEARCH, freedom, alice)
                    .await(LIMIT.toSeconds(), TimeUnit.SECONDS).body())).doesNotContain("roosevelt").contains("kennedy");

            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + own.httpPort() + "/v1/indexes/speeches/delete"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"ids\": [\"kennedy\"]}")).build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(new JsonObject(response.body()).getLong("documents")).isEqualTo(1);

            Throwable noIds = org.assertj.core.api.Assertions.catchThrowable(() -> own.vertx().eventBus()
                    .request(IndexAddresses.DELETE, new JsonObject().put("index", "speeches").put("ids", new JsonArray()), alice)
                    .await(LIMIT.toSeconds(), TimeUnit.SECONDS));
            assertThat(noIds).isInstanceOfSatisfying(ReplyException.class, e -> {
                assertThat(e.failureCode()).isEqualTo(IndexAddresses.BAD_REQUEST);
                assertThat(e.getMessage()).startsWith("ids: a list of 1 to 10000 document ids");
            });
            Throwable unknown = org.assertj.core.api.Assertions.catchThrowable(() -> own.vertx().eventBus()
                    .request(IndexAddresses.DELETE, new JsonObject().put("index", "nope").put("ids", new JsonArray().add("x")), alice)
                    .await(LIMIT.toSeconds(), TimeUnit.SECONDS));
            assertThat(unknown).isInstanceOfSatisfying(ReplyException.class,
                    e -> assertThat(e.failureCode()).isEqualTo(IndexAddresses.NOT_FOUND));
        } finally {
            own.stop(LIMIT);
        }
    }

    /** An index at {@code dir} written directly (hash embedder, manifest), one chunk per text. */
    private static void writeNotes(Path dir, String... texts) throws IOException {
        HashingEmbedder hash = HashingEmbedder.of();
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, hash.dimensions()).fold(i -> i, e -> {
            throw new AssertionError(e.message());
        })) {
            List<EmbeddedChunk> chunks = java.util.Arrays.stream(texts)
                    .map(t -> new EmbeddedChunk(new Chunk(t, t, "notes.txt:" + t, 0, t, 3, Map.of()), hash.vector(t))).toList();
            index.upsert(chunks).flatMap(n -> index.commit()).open().await().indefinitely();
        }
        new IndexManifest(hash.name(), hash.dimensions()).write(dir);
    }

    @Test
    @DisplayName("an index limited to roles (auth.indexRoles): a caller without one is refused (403) and does not see it listed")
    void indexRoles() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("roles"));
        writeNotes(other.resolve("indexes").resolve("notes"), "apples and pears", "rivers and lakes");
        ServiceConfig open = config(other, other, EnumSet.of(ServiceConfig.Stage.INDEX));
        ServiceConfig.Http http = open.http().withAuth(new ServiceConfig.Auth(open.http().auth().mode(), null,
                open.http().auth().jwt(), Map.of("notes", java.util.Set.of("historian"))));
        Service roles = Service.start(new ServiceConfig(http, open.inputRoots(), open.index(), open.stages(), open.transport(),
                open.embedder(), open.jobs(), open.shutdown(), open.cluster()), LIMIT);
        try {
            JsonObject body = new JsonObject().put("index", "notes").put("query", "lakes").put("mode", "keyword");
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> roles.vertx().eventBus()
                    .request(IndexAddresses.SEARCH, body, new Caller("bob", java.util.Set.of("staff")).writeTo(new DeliveryOptions()))
                    .await(LIMIT.toSeconds(), TimeUnit.SECONDS));
            assertThat(refused).isInstanceOfSatisfying(ReplyException.class, e -> {
                assertThat(e.failureCode()).isEqualTo(IndexAddresses.FORBIDDEN);
                assertThat(e.getMessage()).startsWith("bob may not use index notes: it is limited to the roles [historian]");
            });
            JsonObject list = roles.vertx().eventBus().<JsonObject>request(IndexAddresses.LIST, new JsonObject(),
                    new Caller("bob", java.util.Set.of("staff")).writeTo(new DeliveryOptions())).await(LIMIT.toSeconds(), TimeUnit.SECONDS).body();
            assertThat(list.getJsonArray("indexes")).isEmpty();
            JsonObject allowed = roles.vertx().eventBus().<JsonObject>request(IndexAddresses.SEARCH, body,
                    new Caller("carol", java.util.Set.of("historian")).writeTo(new DeliveryOptions())).await(LIMIT.toSeconds(), TimeUnit.SECONDS).body();
            assertThat(documents(allowed)).containsExactly("rivers and lakes");
        } finally {
            roles.stop(LIMIT);
        }
    }

    @Test
    @DisplayName("a node without the embed stage loads the index's embedder itself for queries")
    void embedsLocallyWithoutAnEmbedStage() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other"));
        writeNotes(other.resolve("indexes").resolve("notes"), "apples and pears", "rivers and lakes", "stars and planets");
        Service indexOnly = Service.start(config(other, other, EnumSet.of(ServiceConfig.Stage.INDEX)), LIMIT);
        try {
            JsonObject reply = indexOnly.vertx().eventBus().<JsonObject>request(IndexAddresses.SEARCH,
                    new JsonObject().put("index", "notes").put("query", "lakes and rivers").put("k", 1))
                    .await(LIMIT.toSeconds(), TimeUnit.SECONDS).body();
            assertThat(documents(reply)).containsExactly("rivers and lakes");
        } finally {
            indexOnly.stop(LIMIT);
        }
    }
}
