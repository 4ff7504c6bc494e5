package io.funcpipe.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("SearchQuery and the search modes of QueryPlan")
class SearchQueryTest {

    private static SearchQuery query(String text, float[] vector, int k, SearchMode mode) {
        return new SearchQuery(Optional.ofNullable(text), Optional.ofNullable(vector), k, List.of(),
                Double.NEGATIVE_INFINITY, mode);
    }

    @Nested
    @DisplayName("a query that cannot run names its field")
    class Invalid {

        @Test
        void kOutOfRange() {
            assertThatThrownBy(() -> query("x", null, 0, SearchMode.VECTOR)).isInstanceOfSatisfying(SearchQuery.Invalid.class,
                    e -> assertThat(e.field()).isEqualTo("k"));
            assertThatThrownBy(() -> query("x", null, SearchQuery.MAX_K + 1, SearchMode.VECTOR))
                    .hasMessageContaining("k: must be from 1 to " + SearchQuery.MAX_K);
        }

        @Test
        void keywordNeedsText() {
            assertThatThrownBy(() -> query(null, new float[]{1}, 3, SearchMode.KEYWORD))
                    .isInstanceOfSatisfying(SearchQuery.Invalid.class, e -> assertThat(e.field()).isEqualTo("query"));
            assertThatThrownBy(() -> query("x", new float[]{1}, 3, SearchMode.KEYWORD))
                    .isInstanceOfSatisfying(SearchQuery.Invalid.class, e -> assertThat(e.field()).isEqualTo("vector"));
        }

        @Test
        void vectorModeNeedsOneOfTextOrVector() {
            assertThatThrownBy(() -> query(null, null, 3, SearchMode.VECTOR))
                    .isInstanceOfSatisfying(SearchQuery.Invalid.class, e -> assertThat(e.field()).isEqualTo("query"));
            assertThatThrownBy(() -> query("x", new float[]{1}, 3, SearchMode.VECTOR))
                    .isInstanceOfSatisfying(SearchQuery.Invalid.class, e -> assertThat(e.field()).isEqualTo("vector"));
            assertThatThrownBy(() -> query(null, new float[]{Float.NaN}, 3, SearchMode.VECTOR))
                    .isInstanceOfSatisfying(SearchQuery.Invalid.class, e -> assertThat(e.field()).isEqualTo("vector"));
        }

        @Test
        void blankTextAndNaNMinScore() {
            assertThatThrownBy(() -> query("  ", null, 3, SearchMode.HYBRID)).hasMessageStartingWith("query: ");
            assertThatThrownBy(() -> query("x", null, 3, SearchMode.VECTOR).withMinScore(Double.NaN))
                    .hasMessageStartingWith("minScore: ");
        }
    }

    @Nested
    @DisplayName("QueryPlan runs each mode against the index's two searches")
    class Modes {

        private final InMemoryPorts.MapIndex index = new InMemoryPorts.MapIndex();
        private final Embedder embedder = new InMemoryPorts.LetterEmbedder();

        @Test
        void keywordAskedOnAnIndexThatCannotIsAnError() {
            var result = QueryPlan.describe(embedder, index, query("zebra", null, 3, SearchMode.KEYWORD)).open().await()
                    .indefinitely();
            assertThat(result.isOk()).isFalse();
        }

        @Test
        void hybridFusesBothRankingsAndMinScoreDrops() {
            List<SearchHit> byVector = List.of(hit("a"), hit("b"), hit("c"));
            List<SearchHit> byWords = List.of(hit("c"), hit("d"));
            VectorIndex two = new TwoRankings(byVector, byWords);
            List<SearchHit> fused = QueryPlan.describe(embedder, two, query("zebra", null, 4, SearchMode.HYBRID))
                    .open().await().indefinitely().fold(h -> h, e -> { throw new AssertionError(e.message()); });
            assertThat(fused).extracting(SearchHit::chunkId).containsExactly("c", "a", "b", "d"); // b and d tie (both second once): by chunk id
            double secondBest = fused.get(1).score();
            List<SearchHit> kept = QueryPlan.describe(embedder, two, query("zebra", null, 4, SearchMode.HYBRID)
                    .withMinScore(secondBest)).open().await().indefinitely().fold(h -> h, e -> { throw new AssertionError(e.message()); });
            assertThat(kept).extracting(SearchHit::chunkId).containsExactly("c", "a");
        }
    }

    private static SearchHit hit(String id) {
        return new SearchHit(id, "doc", "loc", 0.5f, "t", Map.of());
    }

    /** An index whose vector search and keyword search each answer a fixed ranking. */
    private record TwoRankings(List<SearchHit> byVector, List<SearchHit> byWords) implements VectorIndex {
        @Override
        public io.funcpipe.core.AsyncPlan<Integer> upsert(List<EmbeddedChunk> chunks) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.funcpipe.core.AsyncPlan<Integer> write(List<DocumentWrite> docs, boolean replace) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.funcpipe.core.AsyncPlan<Map<String, DocumentRecord>> documents(java.util.Collection<String> ids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.funcpipe.core.AsyncPlan<Map<String, float[]>> vectors(java.util.Collection<String> textHashes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.funcpipe.core.AsyncPlan<Deletion> delete(java.util.Collection<String> ids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.funcpipe.core.AsyncPlan<Deletion> deleteUnseen(java.util.Collection<String> roots, java.util.Set<String> seen) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.funcpipe.core.AsyncPlan<Long> commit(Checkpoint checkpoint) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.funcpipe.core.AsyncPlan<Optional<Checkpoint>> checkpoint(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.funcpipe.core.AsyncPlan<List<SearchHit>> search(float[] vector, int k) {
            return io.funcpipe.core.AsyncPlan.of(byVector.stream().limit(k).toList());
        }

        @Override
        public io.funcpipe.core.AsyncPlan<List<SearchHit>> search(float[] vector, int k, List<MetadataFilter> filters) {
            return search(vector, k);
        }

        @Override
        public io.funcpipe.core.AsyncPlan<List<SearchHit>> keyword(String text, int k, List<MetadataFilter> filters) {
            return io.funcpipe.core.AsyncPlan.of(byWords.stream().limit(k).toList());
        }

        @Override
        public long count() {
            return byVector.size();
        }

        @Override
        public void close() {
        }
    }
}
