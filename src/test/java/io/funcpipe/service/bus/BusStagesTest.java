package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.await;
import static io.funcpipe.service.bus.BusTesting.awaitFailure;
import static io.funcpipe.service.bus.BusTesting.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.adapters.embed.WordTokenizer;
import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.SourceSet;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.IngestOptions;
import io.funcpipe.rag.IngestPipeline;
import io.funcpipe.rag.IngestReport;
import io.funcpipe.rag.IngestStages;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.clean.Cleaner;
import io.vertx.core.Vertx;

@DisplayName("IngestPipeline.describe bound to the stages over the event bus")
class BusStagesTest {

    @TempDir
    Path tmp;

    private Vertx vertx;
    private StageHost host;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        host = await(StageHost.start(vertx, StageHostOptions.all(2, BusTesting.hashModel(), tmp.resolve("indexes"))));
    }

    @AfterEach
    void stop() {
        await(host.close());
        assertThat(host.resources().allZero()).as(host.resources().toString()).isTrue();
        await(vertx.close());
    }

    /** The samples, plus inputs that fail at parse (a bad JSONL line) and at clean (binary, empty). */
    private static List<String> inputs() {
        return List.of(BusTesting.SOTU.toString(), fixture("mixed.jsonl"), fixture("binary.txt"), fixture("empty.txt"));
    }

    /** One run's outcome: the report without its timing, every item, and the ids in the index. */
    record Run(IngestReport report, List<Result<Chunk>> items, Set<String> indexed) {
    }

    @Nested
    @DisplayName("a full run")
    class FullRun {

        @Test
        @DisplayName("gives the same report, items and indexed chunk ids as the same input run in process")
        void sameAsInProcess() throws Exception {
            IngestOptions options = IngestOptions.defaults();
            BusJob job = BusJob.of("job-full", inputs(), "sotu");

            Run remote = overTheBus(job, options);
            Run local = inProcess(options, tmp.resolve("local"));

            assertThat(remote.report().documentsRead()).isEqualTo(local.report().documentsRead()).isGreaterThan(4);
            assertThat(remote.report().chunksIndexed()).isEqualTo(local.report().chunksIndexed()).isGreaterThan(50);
            assertThat(remote.report().documentsFailed()).isEqualTo(local.report().documentsFailed()).isPositive();
            assertThat(remote.report()).usingRecursiveComparison().ignoringFields("elapsedSeconds")
                    .isEqualTo(local.report());
            assertThat(remote.items()).isEqualTo(local.items());
            assertThat(remote.indexed()).isEqualTo(local.indexed()).hasSize((int) local.report().chunksIndexed());
            assertThat(remote.report().errorsByCode()).containsKeys(ErrCode.MALFORMED_RECORD, ErrCode.NOT_TEXT,
                    ErrCode.EMPTY_DOCUMENT);
        }

        @Test
        @DisplayName("re-running the same job upserts the same chunk ids: the index does not grow")
        void rerunDoesNotDuplicate() throws Exception {
            BusJob job = BusJob.of("job-twice", List.of(BusTesting.SOTU.toString()), "again");
            Run first = overTheBus(job, IngestOptions.defaults());
            Run second = overTheBus(job.withWindow(1).withDocBatch(1), IngestOptions.defaults().withDocBatch(1));
            assertThat(second.indexed()).isEqualTo(first.indexed());
        }
    }

    @Nested
    @DisplayName("binding")
    class Binding {

        @Test
        @DisplayName("reports the embed node's model and the inputs' size once the source is open")
        void reportsModelAndSize() throws Exception {
            BoundStages bound = await(BusStages.bind(vertx, BusJob.of("job-b", List.of(BusTesting.SOTU.toString()), "b")));
            assertThat(bound.stages().embedder().name()).isEqualTo("hash");
            assertThat(bound.stages().embedder().dimensions()).isEqualTo(HashingEmbedder.DEFAULT_DIMENSIONS);
            assertThat(bound.totalBytes().getAsLong()).isEqualTo(-1);

            BusTesting.all(bound.stages().source().docs());

            long size = Sources.open(List.of(BusTesting.SOTU.toString()), SourceOptions.defaults(), null).totalBytes();
            assertThat(bound.totalBytes().getAsLong()).isEqualTo(size);
            assertThat(bound.bytesRead().getAsLong()).isEqualTo(size);
            bound.close();
        }

        @Test
        @DisplayName("fails when no node hosts the embed stage, naming its address")
        void noEmbedStage() {
            await(host.close());
            host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.PARSE, BusStage.INDEX), 1, null,
                    tmp.resolve("indexes"))));
            BusJob job = BusJob.of("job-x", List.of("x"), "x").withRetry(BusTesting.quickRetry(2));

            Throwable failure = awaitFailure(BusStages.bind(vertx, job));

            assertThat(failure).isInstanceOfSatisfying(StageBindException.class, e -> {
                assertThat(e.error().code()).isEqualTo(ErrCode.UNAVAILABLE);
                assertThat(e.getMessage()).contains("no node hosts the stage at funcpipe.stage.embed");
                assertThat(e.error().details()).containsEntry("attempts", "2");
            });
        }

        @Test
        @DisplayName("fails when the index was built with another model, naming both")
        void indexOfAnotherModel() throws Exception {
            Path dir = tmp.resolve("indexes").resolve("old");
            new IndexManifest("minilm", 384).write(dir);

            Throwable failure = awaitFailure(BusStages.bind(vertx, BusJob.of("job-y", List.of("x"), "old")));

            assertThat(failure).isInstanceOfSatisfying(StageBindException.class, e -> {
                assertThat(e.error().code()).isEqualTo(ErrCode.INDEX_FAILED);
                assertThat(e.getMessage()).contains("minilm", "hash");
            });
        }
    }

    private Run overTheBus(BusJob job, IngestOptions options) throws IOException {
        BoundStages bound = await(BusStages.bind(vertx, job));
        IngestCounters counters = new IngestCounters();
        List<Result<Chunk>> items = BusTesting.all(IngestPipeline.describe(bound.stages(), options, counters));
        IngestReport report = IngestReport.of(counters, 0, bound.stages().embedder());
        try {
            bound.close();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        BusTesting.until(() -> host.resources().sourceSessions() == 0, "the run's source session is closed");
        await(host.close()); // closes (commits) the index so that it can be read here
        Set<String> ids = indexedIds(tmp.resolve("indexes").resolve(job.indexName()));
        host = await(StageHost.start(vertx, host.options()));
        return new Run(report, items, ids);
    }

    private static Run inProcess(IngestOptions options, Path indexDir) throws IOException {
        SourceSet source = Sources.open(inputs(), SourceOptions.defaults(), null);
        HashingEmbedder embedder = HashingEmbedder.of();
        Chunker chunker = new Chunker(WordTokenizer.of(), ChunkerOptions.defaults());
        IngestCounters counters = new IngestCounters();
        List<Result<Chunk>> items;
        try (LuceneVectorIndex index = BusTesting.ok(LuceneVectorIndex.open(indexDir, embedder.dimensions()))) {
            IngestStages stages = new IngestStages(source, Cleaner::clean, chunker::chunk, embedder, index);
            items = BusTesting.all(IngestPipeline.describe(stages, options, counters));
        }
        return new Run(IngestReport.of(counters, 0, embedder), items, indexedIds(indexDir));
    }

    /** The chunk ids a Lucene index holds (its live chunks' {@code id} field; document records have none). */
    static Set<String> indexedIds(Path dir) throws IOException {
        Set<String> ids = new HashSet<>();
        try (FSDirectory directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
            Bits live = MultiBits.getLiveDocs(reader);
            StoredFields fields = reader.storedFields();
            for (int i = 0; i < reader.maxDoc(); i++) {
                String id = live == null || live.get(i) ? fields.document(i).get("id") : null;
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }
}
