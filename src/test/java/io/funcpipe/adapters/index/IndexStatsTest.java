package io.funcpipe.adapters.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;

@DisplayName("IndexStats: what an index holds, read only")
class IndexStatsTest {

    @TempDir
    Path tmp;

    private static EmbeddedChunk chunk(String id, String docId) {
        return new EmbeddedChunk(new Chunk(id, docId, docId + ":1", 0, "text of " + id, 3, Map.of()), new float[] {1, 0, 0});
    }

    /** Writes chunks of documents a (3 chunks), b (2) and c (1) with Lucene's writer, then replaces chunk a-0 and deletes c. */
    private Path index(Map<String, String> userData) throws IOException {
        Path dir = tmp.resolve("idx");
        try (FSDirectory directory = FSDirectory.open(Files.createDirectories(dir));
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            for (String[] c : new String[][] {{"a-0", "a"}, {"a-1", "a"}, {"a-2", "a"}, {"b-0", "b"}, {"b-1", "b"}, {"c-0", "c"}}) {
                writer.updateDocument(LuceneFields.key(c[0]), LuceneFields.toDocument(chunk(c[0], c[1])));
            }
            writer.commit();
            writer.updateDocument(LuceneFields.key("a-0"), LuceneFields.toDocument(chunk("a-0", "a")));
            writer.deleteDocuments(LuceneFields.key("c-0"));
            writer.setLiveCommitData(userData.entrySet());
            writer.commit();
        }
        new IndexManifest("hash", 3).write(dir);
        return dir;
    }

    private static IndexStats ok(Result<IndexStats> result) {
        return switch (result) {
            case Ok<IndexStats>(IndexStats stats) -> stats;
            case Err<IndexStats>(var error) -> throw new AssertionError(error.message());
        };
    }

    @Test
    @DisplayName("counts live chunks and distinct documents, and reads the commit time and every checkpoint from the user data")
    void userData() throws IOException {
        Path dir = index(Map.of(
                IndexStats.COMMIT_TIME, "2026-12-01T20:15:00Z",
                IndexStats.CHECKPOINT_PREFIX + "job-1", """
                        {"key": "job-1", "docs": 2, "documentsFailed": 1, "chunksIndexed": 5, "chunksFailed": 0,
                         "time": "2026-12-01T20:14:59Z", "somethingNew": [1, 2],
                         "sync": {"documentsAdded": 1, "documentsUpdated": 1, "chunksEmbedded": 4, "chunksReused": 1}}""",
                IndexStats.CHECKPOINT_PREFIX + "ingest-x", "{\"docs\": 7, \"chunksIndexed\": 70}",
                "unrelated.key", "kept out"));

        IndexStats stats = ok(IndexStats.read(dir));

        assertThat(stats.chunks()).isEqualTo(5);
        assertThat(stats.documents()).as("a and b; c's only chunk was deleted").isEqualTo(2);
        assertThat(stats.manifest()).contains(new IndexManifest("hash", 3));
        assertThat(stats.lastCommit()).isEqualTo(Instant.parse("2026-12-01T20:15:00Z"));
        assertThat(stats.commitTime()).isEqualTo(IndexStats.CommitTime.USER_DATA);
        assertThat(stats.checkpoints()).containsExactly(
                new IndexStats.Checkpoint("ingest-x", 7, 0, 70, 0, Optional.empty(), io.funcpipe.rag.SyncCounts.none()),
                new IndexStats.Checkpoint("job-1", 2, 1, 5, 0, Optional.of(Instant.parse("2026-12-01T20:14:59Z")),
                        new io.funcpipe.rag.SyncCounts(1, 1, 0, 0, 4, 1, 0)));
        assertThat(stats.problems()).isEmpty();
    }

    @Test
    @DisplayName("a malformed checkpoint or commit time is reported, the rest is still read")
    void malformed() throws IOException {
        Path dir = index(Map.of(
                IndexStats.COMMIT_TIME, "yesterday",
                IndexStats.CHECKPOINT_PREFIX + "broken", "{not json",
                IndexStats.CHECKPOINT_PREFIX + "array", "[1]",
                IndexStats.CHECKPOINT_PREFIX + "negative", "{\"docs\": -1, \"chunksIndexed\": 2.5, \"time\": \"soon\"}",
                IndexStats.CHECKPOINT_PREFIX + "good", "{\"docs\": 1, \"chunksIndexed\": 3}",
                IndexStats.CHECKPOINT_PREFIX + "badsync", "{\"docs\": 1, \"chunksIndexed\": 3, \"sync\": {\"chunksReused\": -2}}"));

        IndexStats stats = ok(IndexStats.read(dir));

        assertThat(stats.checkpoints()).extracting(IndexStats.Checkpoint::key).containsExactly("good");
        assertThat(stats.commitTime()).as("the time falls back to the segments file").isEqualTo(IndexStats.CommitTime.SEGMENTS_FILE);
        assertThat(stats.problems()).containsExactlyInAnyOrder(
                "funcpipe.commit.time is not an ISO-8601 instant: \"yesterday\"",
                "funcpipe.checkpoint.broken is not JSON: {not json",
                "funcpipe.checkpoint.array is not a JSON object: [1]",
                "funcpipe.checkpoint.negative: docs must be a whole number >= 0, got -1; chunksIndexed must be a whole "
                        + "number >= 0, got 2.5; time is not an ISO-8601 instant: \"soon\"",
                "funcpipe.checkpoint.badsync: sync must be an object of whole numbers >= 0, got {\"chunksReused\":-2}");
    }

    @Test
    @DisplayName("without user data the commit time is the segments file's, and it says so")
    void noUserData() throws IOException {
        Path dir = index(Map.of());

        IndexStats stats = ok(IndexStats.read(dir));

        assertThat(stats.commitTime()).isEqualTo(IndexStats.CommitTime.SEGMENTS_FILE);
        assertThat(stats.lastCommit()).isEqualTo(Files.getLastModifiedTime(dir.resolve("segments_" + Long.toString(
                stats.generation(), Character.MAX_RADIX))).toInstant());
        assertThat(stats.checkpoints()).isEmpty();
    }

    @Test
    @DisplayName("a folder without an index, or no folder, is an INDEX_FAILED Err saying so; nothing is created")
    void noIndex() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        for (Path dir : new Path[] {empty, tmp.resolve("missing")}) {
            Result<IndexStats> result = IndexStats.read(dir);
            assertThat(result).isInstanceOfSatisfying(Err.class, err -> {
                assertThat(err.error().code()).isEqualTo(ErrCode.INDEX_FAILED);
                assertThat(err.error().message()).contains("there is no index at " + dir);
            });
        }
        try (var files = Files.list(empty)) {
            assertThat(files).isEmpty();
        }
        assertThat(tmp.resolve("missing")).doesNotExist();
    }
}
