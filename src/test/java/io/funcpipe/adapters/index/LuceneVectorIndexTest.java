package io.funcpipe.adapters.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.SearchHit;

@DisplayName("LuceneVectorIndex")
class LuceneVectorIndexTest {

    static final HashingEmbedder EMBEDDER = HashingEmbedder.of(64);

    @TempDir
    Path dir;

    static EmbeddedChunk chunk(String id, String text) {
        Chunk chunk = new Chunk(id, "doc-" + id, "file.txt:" + id, 3, text, 10, Map.of("source", "test"));
        return new EmbeddedChunk(chunk, EMBEDDER.vector(text));
    }

    static <T> T ok(AsyncPlan<T> plan) {
        Result<T> result = plan.open().await().indefinitely();
        assertThat(result).isInstanceOf(Ok.class);
        return ((Ok<T>) result).value();
    }

    static ErrInfo err(Result<?> result) {
        assertThat(result).isInstanceOf(Err.class);
        return ((Err<?>) result).error();
    }

    LuceneVectorIndex open(int dimensions) {
        return LuceneVectorIndex.open(dir, dimensions).fold(index -> index, e -> {
            throw new AssertionError(e.message());
        });
    }

    final List<EmbeddedChunk> animals = List.of(
            chunk("c1", "the cat sleeps on the warm windowsill"),
            chunk("c2", "the central bank raised interest rates"),
            chunk("c3", "heavy rain flooded the old town"));

    @Nested
    @DisplayName("upsert")
    class Upsert {

        @Test
        @DisplayName("twice with the same ids keeps the same count, and the second text wins")
        void upsertTwiceKeepsCount() {
            try (LuceneVectorIndex index = open(64)) {
                assertThat(ok(index.upsert(animals))).isEqualTo(3);
                assertThat(ok(index.upsert(animals))).isEqualTo(3);
                assertThat(index.count()).isEqualTo(3);
                ok(index.upsert(List.of(chunk("c3", "snow covered the mountain village"))));
                assertThat(index.count()).isEqualTo(3);
                List<SearchHit> hits = ok(index.search(EMBEDDER.vector("snow covered the mountain village"), 1));
                assertThat(hits).extracting(SearchHit::chunkId, SearchHit::text)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("c3", "snow covered the mountain village"));
            }
        }

        @Test
        @DisplayName("from many threads at once never duplicates")
        void concurrentUpsertsAreSafe() {
            try (LuceneVectorIndex index = open(64)) {
                List<io.smallrye.mutiny.Uni<Result<Integer>>> calls = new ArrayList<>();
                for (int round = 0; round < 8; round++) {
                    List<EmbeddedChunk> batch = IntStream.range(0, 50)
                            .mapToObj(i -> chunk("id-" + i, "text number " + i)).toList();
                    calls.add(index.upsert(batch).open());
                }
                List<Result<Integer>> results = io.smallrye.mutiny.Uni.join().all(calls).andFailFast()
                        .await().indefinitely();
                assertThat(results).allMatch(Result::isOk);
                ok(index.commit());
                assertThat(index.count()).isEqualTo(50);
            }
        }

        @Test
        @DisplayName("a vector of the wrong length is an INDEX_FAILED Err naming the chunk and the index")
        void wrongLengthErrs() {
            try (LuceneVectorIndex index = open(64)) {
                EmbeddedChunk wrong = new EmbeddedChunk(animals.get(0).chunk(), new float[] {1, 0, 0});
                ErrInfo error = err(index.upsert(List.of(wrong)).open().await().indefinitely());
                assertThat(error.code()).isEqualTo(ErrCode.INDEX_FAILED);
                assertThat(error.key()).isEqualTo("c1");
                assertThat(error.message()).contains(dir.toString(), "3 dimensions", "64");
                assertThat(index.count()).isZero();
            }
        }
    }

    @Nested
    @DisplayName("search")
    class Search {

        @Test
        @DisplayName("returns the nearest first, with cosine scores in descending order and stored fields")
        void nearestFirst() {
            try (LuceneVectorIndex index = open(64)) {
                ok(index.upsert(animals));
                List<SearchHit> hits = ok(index.search(EMBEDDER.vector("a cat sleeps on a windowsill"), 3));
                assertThat(hits).hasSize(3);
                assertThat(hits.get(0).chunkId()).isEqualTo("c1");
                assertThat(hits.get(0).docId()).isEqualTo("doc-c1");
                assertThat(hits.get(0).location()).isEqualTo("file.txt:c1");
                assertThat(hits.get(0).metadata()).containsEntry("source", "test");
                assertThat(hits).extracting(SearchHit::score).isSortedAccordingTo((a, b) -> Float.compare(b, a));
                assertThat(hits.get(0).score()).isBetween(0.3f, 1.0001f);
            }
        }

        @Test
        @DisplayName("of an exact vector scores it about 1")
        void exactVectorScoresOne() {
            try (LuceneVectorIndex index = open(64)) {
                ok(index.upsert(animals));
                List<SearchHit> hits = ok(index.search(animals.get(1).vector(), 1));
                assertThat(hits.get(0).chunkId()).isEqualTo("c2");
                assertThat(hits.get(0).score()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
            }
        }

        @Test
        @DisplayName("on an empty index returns nothing")
        void emptyIndex() {
            try (LuceneVectorIndex index = open(64)) {
                assertThat(ok(index.search(EMBEDDER.vector("anything"), 5))).isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("opening")
    class Opening {

        @Test
        @DisplayName("again after close sees the committed chunks and appends to them")
        void reopenSeesCommittedData() {
            try (LuceneVectorIndex index = open(64)) {
                ok(index.upsert(animals));
                ok(index.commit());
            }
            try (LuceneVectorIndex index = open(64)) {
                assertThat(index.count()).isEqualTo(3);
                ok(index.upsert(List.of(chunk("c4", "a new chunk"), chunk("c1", "the cat again"))));
                assertThat(index.count()).isEqualTo(4);
            }
            LuceneVectorIndex reader = LuceneVectorIndex.openReadOnly(dir).fold(i -> i, e -> {
                throw new AssertionError(e.message());
            });
            try (reader) {
                assertThat(reader.count()).isEqualTo(4);
                assertThat(reader.dimensions()).isEqualTo(64);
                assertThat(ok(reader.search(EMBEDDER.vector("a new chunk"), 1)).get(0).chunkId()).isEqualTo("c4");
                ErrInfo error = err(reader.upsert(animals).open().await().indefinitely());
                assertThat(error.code()).isEqualTo(ErrCode.INDEX_FAILED);
                assertThat(error.message()).contains("read-only", dir.toString());
            }
        }

        @Test
        @DisplayName("with another vector length than the index holds is a clear Err naming the directory and both lengths")
        void dimensionMismatch() {
            try (LuceneVectorIndex index = open(64)) {
                ok(index.upsert(animals));
            }
            ErrInfo error = err(LuceneVectorIndex.open(dir, 384));
            assertThat(error.code()).isEqualTo(ErrCode.INDEX_FAILED);
            assertThat(error.message()).contains(dir.toString(), "64", "384");
        }

        @Test
        @DisplayName("a second writer on the same directory is an Err saying it is locked")
        void secondWriterIsLocked() {
            try (LuceneVectorIndex index = open(64)) {
                ErrInfo error = err(LuceneVectorIndex.open(dir, 64));
                assertThat(error.message()).contains("locked", dir.toString());
                assertThat(index.count()).isZero();
            }
        }

        @Test
        @DisplayName("read-only where there is no index is an Err and creates nothing")
        void readOnlyWithoutIndex() {
            Path missing = dir.resolve("missing");
            ErrInfo error = err(LuceneVectorIndex.openReadOnly(missing));
            assertThat(error.message()).contains("no index", missing.toString());
            assertThat(missing).doesNotExist();
        }

        @Test
        @DisplayName("after close, calls Err instead of throwing and close is idempotent")
        void closedIndexErrs() {
            LuceneVectorIndex index = open(64);
            index.close();
            index.close();
            ErrInfo error = err(index.commit().open().await().indefinitely());
            assertThat(error.code()).isEqualTo(ErrCode.INDEX_FAILED);
            assertThat(error.message()).contains("closed");
        }
    }
}
