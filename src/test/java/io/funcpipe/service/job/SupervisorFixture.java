package io.funcpipe.service.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.funcpipe.adapters.embed.EmbeddingModel;
import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.adapters.embed.WordTokenizer;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.SourceSet;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.IngestOptions;
import io.funcpipe.rag.IngestPipeline;
import io.funcpipe.rag.IngestReport;
import io.funcpipe.rag.IngestStages;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.clean.Cleaner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A supervisor deployed on a local Vert.x with a {@link ControlledBinder} over temp folders: an
 * input root holding a copy of the shipped samples and a few small files, and an index root.
 * Waits are bounded by a generous safety limit; nothing is asserted on time.
 */
final class SupervisorFixture {

    static final Path SAMPLES = Path.of("samples", "sotu");
    private static final Duration LIMIT = Duration.ofSeconds(90);

    final Vertx vertx;
    final Path inputs;
    final Path indexes;
    final EmbeddingModel model = new EmbeddingModel(HashingEmbedder.of(), WordTokenizer.of());
    final ControlledBinder binder;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final JobClient client;
    SupervisorVerticle supervisor;
    String deployment;

    SupervisorFixture(Vertx vertx, Path tmp) throws IOException {
        this.vertx = vertx;
        this.inputs = Files.createDirectories(tmp.resolve("inputs"));
        this.indexes = Files.createDirectories(tmp.resolve("indexes"));
        Path sotu = Files.createDirectories(inputs.resolve("sotu"));
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path file : files.toList()) {
                Files.copy(file, sotu.resolve(file.getFileName().toString()));
            }
        }
        Files.writeString(inputs.resolve("small.txt"), "A short note about rivers and the lakes they feed.");
        Files.writeString(inputs.resolve("docs.jsonl"), """
                {"id": "a", "text": "The first document talks about rivers and lakes."}
                {"id": "b", "text": broken
                {"id": "c", "text": "The third document talks about mountains."}
                """);
        this.binder = new ControlledBinder(new LocalStageBinder(vertx, List.of(inputs), indexes, model));
        this.client = new JobClient(vertx);
    }

    SupervisorOptions options() {
        return SupervisorOptions.of(List.of(inputs), indexes, "hash").withProgressInterval(Duration.ofMillis(10));
    }

    SupervisorFixture deploy(SupervisorOptions options) {
        supervisor = new SupervisorVerticle(options, binder, meters);
        deployment = await(vertx.deployVerticle(supervisor));
        assertThat(supervisor.accepting()).isTrue();
        return this;
    }

    Future<Void> undeploy() {
        return vertx.undeploy(deployment);
    }

    static JsonObject spec(String index, String... sources) {
        return new JsonObject().put("sources", new JsonArray(List.of(sources))).put("index", index);
    }

    String submit(JsonObject spec) {
        return await(client.submit(spec));
    }

    JsonObject status(String id) {
        return await(client.status(id));
    }

    /** Polls the job's status until {@code condition} holds. */
    JsonObject waitFor(String id, String what, Predicate<JsonObject> condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonObject status = status(id);
        while (!condition.test(status)) {
            if (System.nanoTime() > deadline) {
                fail("job " + id + " never reached: " + what + "; last status " + status.encodePrettily());
            }
            await(vertx.timer(5));
            status = status(id);
        }
        return status;
    }

    /** Blocks until {@code condition} holds, checking every few milliseconds. */
    void waitUntil(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("never happened: " + what);
            }
            await(vertx.timer(5));
        }
    }

    static <T> T await(Future<T> future) {
        try {
            return future.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no outcome within " + LIMIT, e);
        }
    }

    static ReplyException refusal(Future<?> future) {
        try {
            future.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ReplyException e) {
            return e;
        } catch (TimeoutException e) {
            throw new AssertionError("no outcome within " + LIMIT, e);
        }
        throw new AssertionError("the request succeeded, a refusal was expected");
    }

    /** Asserts that the binder holds nothing: no index open, no source handle, no bound job. */
    void assertEverythingReleased() {
        LocalStageBinder local = binder.local();
        assertThat(local.openIndexes()).as("open indexes").isZero();
        assertThat(local.openSourceHandles()).as("open source handles").isZero();
        assertThat(local.boundJobs()).as("bound jobs").isZero();
    }

    /** The chunks the index folder holds (committed), read back from disk. */
    long indexedChunks(String index) {
        LuceneVectorIndex read = LuceneVectorIndex.openReadOnly(indexes.resolve(index)).fold(i -> i, e -> {
            throw new AssertionError(e.message());
        });
        try (read) {
            return read.count();
        }
    }

    /**
     * The report of the same input ingested in process, the way {@code funcpipe ingest} does it,
     * into a separate index: what a job's report must match.
     */
    IngestReport inProcess(Path tmp, List<String> inputPaths) {
        SourceSet sources = Sources.open(inputPaths, SourceOptions.defaults(), null);
        IngestCounters counters = new IngestCounters();
        LuceneVectorIndex index = LuceneVectorIndex.open(tmp.resolve("in-process-index"), model.embedder().dimensions())
                .fold(i -> i, e -> {
                    throw new AssertionError(e.message());
                });
        try (index) {
            IngestStages stages = new IngestStages(sources, Cleaner::clean,
                    new Chunker(model.tokenizer(), ChunkerOptions.defaults())::chunk, model.embedder(), index);
            IngestPipeline.describe(stages, IngestOptions.defaults(), counters).open().collect().last()
                    .await().atMost(LIMIT);
        }
        return IngestReport.of(counters, 1, model.embedder());
    }
}
