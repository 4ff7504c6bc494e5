package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.await;
import static io.funcpipe.service.bus.BusTesting.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.core.ErrCode;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.service.bus.protocol.CommitIndex;
import io.funcpipe.service.bus.protocol.IndexAck;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.funcpipe.service.bus.protocol.StageFailure;
import io.funcpipe.service.bus.protocol.UpsertChunks;
import io.vertx.core.Vertx;

@DisplayName("index stage (Lucene indexes under a root, over a local event bus)")
class IndexStageTest {

    private static final IndexTarget SPEECHES = new IndexTarget("speeches", "hash", 384);

    @TempDir
    Path root;

    private Vertx vertx;
    private StageHost host;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.INDEX), 2, null, root)));
    }

    @AfterEach
    void stop() {
        await(host.close());
        assertThat(host.resources().allZero()).isTrue();
        await(vertx.close());
    }

    private static List<EmbeddedChunk> chunks(String... texts) {
        HashingEmbedder embedder = HashingEmbedder.of();
        return java.util.Arrays.stream(texts).map(t -> new EmbeddedChunk(
                new Chunk("id-" + t, "doc", "doc.txt:1", 0, t, 3, Map.of()), embedder.vector(t))).toList();
    }

    @Test
    @DisplayName("upserts by chunk id (a repeat never duplicates), commits, and writes the index's manifest")
    void upsertAndCommit() throws Exception {
        IndexAck written = (IndexAck) request(vertx, StageAddress.INDEX, new UpsertChunks(SPEECHES, chunks("a b", "c d")));
        IndexAck again = (IndexAck) request(vertx, StageAddress.INDEX, new UpsertChunks(SPEECHES, chunks("a b", "c d")));
        Object committed = request(vertx, StageAddress.INDEX, new CommitIndex(SPEECHES));

        assertThat(written.value()).isEqualTo(2);
        assertThat(again.value()).isEqualTo(2);
        assertThat(committed).isInstanceOf(IndexAck.class);
        assertThat(host.resources().openIndexes()).isEqualTo(1);
        assertThat(IndexManifest.read(root.resolve("speeches"))).contains(new IndexManifest("hash", 384));

        await(host.close());
        assertThat(host.resources().openIndexes()).isZero();
        try (LuceneVectorIndex index = BusTesting.ok(LuceneVectorIndex.openReadOnly(root.resolve("speeches")))) {
            assertThat(index.count()).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "../escape", "a/b", "a\\b", "..", ".hidden"})
    @DisplayName("refuses an index name that is missing or not a simple folder name, saying what a name may hold")
    void refusesBadNames(String name) {
        Object reply = request(vertx, StageAddress.INDEX, new UpsertChunks(new IndexTarget(name, "hash", 384),
                chunks("x")));
        assertThat(reply).isInstanceOfSatisfying(StageFailure.class, f -> {
            assertThat(f.error().code()).isEqualTo(ErrCode.INVALID_INPUT);
            assertThat(f.error().message()).containsAnyOf("no index name given", "is not a simple name");
            assertThat(f.error().message()).contains("letters, digits");
        });
        assertThat(root).isEmptyDirectory();
    }

    @Test
    @DisplayName("refuses vectors of another model than the index was built with, naming both")
    void refusesAnotherModel() {
        request(vertx, StageAddress.INDEX, new CommitIndex(SPEECHES));

        Object reply = request(vertx, StageAddress.INDEX, new UpsertChunks(new IndexTarget("speeches", "minilm", 384),
                chunks("x")));

        assertThat(reply).isInstanceOfSatisfying(StageFailure.class, f -> {
            assertThat(f.error().code()).isEqualTo(ErrCode.INDEX_FAILED);
            assertThat(f.error().message()).contains("'hash'", "'minilm'", "speeches");
        });
    }

    @Test
    @DisplayName("refuses to reopen an existing index for another model after a restart (its manifest says which)")
    void manifestSurvivesRestart() {
        request(vertx, StageAddress.INDEX, new CommitIndex(SPEECHES));
        await(host.close());
        host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.INDEX), 1, null, root)));

        Object reply = request(vertx, StageAddress.INDEX, new CommitIndex(new IndexTarget("speeches", "other", 16)));

        assertThat(reply).isInstanceOfSatisfying(StageFailure.class, f -> {
            assertThat(f.error().code()).isEqualTo(ErrCode.INDEX_FAILED);
            assertThat(f.error().message()).contains("hash", "other");
        });
        assertThat(host.resources().openIndexes()).isZero();
    }
}
