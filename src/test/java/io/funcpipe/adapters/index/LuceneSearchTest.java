package io.funcpipe.adapters.index;

import static io.funcpipe.adapters.index.LuceneVectorIndexTest.EMBEDDER;
import static io.funcpipe.adapters.index.LuceneVectorIndexTest.err;
import static io.funcpipe.adapters.index.LuceneVectorIndexTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.core.ErrCode;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.MetadataFilter;
import io.funcpipe.rag.SearchHit;

@DisplayName("LuceneVectorIndex keyword search (BM25 over the chunks' words)")
class LuceneSearchTest {

    @TempDir
    Path dir;

    private static EmbeddedChunk chunk(String id, String text, String year) {
        Chunk chunk = new Chunk(id, "doc-" + id, "speech.txt:" + id, 0, text, 10, Map.of("year", year));
        return new EmbeddedChunk(chunk, EMBEDDER.vector(text));
    }

    private final List<EmbeddedChunk> speeches = List.of(
            chunk("c1", "The union is strong and the union will endure.", "1862"),
            chunk("c2", "We must build roads and canals across the union.", "1941"),
            chunk("c3", "Rain fell on the harvest; farmers rejoiced.", "1862"),
            chunk("c4", "Taxes, tariffs and the national debt.", "2002"));

    private LuceneVectorIndex open() {
        return LuceneVectorIndex.open(dir, EMBEDDER.dimensions()).fold(i -> i, e -> {
            throw new AssertionError(e.message());
        });
    }

    @Test
    @DisplayName("finds the chunks holding the words, more occurrences first, with BM25 scores, case and punctuation aside")
    void findsByWords() {
        try (LuceneVectorIndex index = open()) {
            ok(index.upsert(speeches));
            List<SearchHit> hits = ok(index.keyword("UNION!", 10, List.of()));
            assertThat(hits).extracting(SearchHit::chunkId).containsExactly("c1", "c2");
            assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score()).isPositive();
            assertThat(hits.get(0).text()).isEqualTo("The union is strong and the union will endure.");
            assertThat(hits.get(0).metadata()).containsEntry("year", "1862");
            assertThat(hits.get(0).location()).isEqualTo("speech.txt:c1");
            assertThat(ok(index.keyword("zeppelin", 10, List.of()))).isEmpty();
            assertThat(ok(index.keyword("...", 10, List.of()))).as("no word left after analysis").isEmpty();
        }
    }

    @Test
    @DisplayName("takes the metadata filters and k")
    void filtersAndK() {
        try (LuceneVectorIndex index = open()) {
            ok(index.upsert(speeches));
            assertThat(ok(index.keyword("union rain", 10, List.of(MetadataFilter.equalTo("year", "1862")))))
                    .extracting(SearchHit::chunkId).containsExactlyInAnyOrder("c1", "c3");
            assertThat(ok(index.keyword("union rain", 10, List.of(MetadataFilter.between("year", 1900, 2000)))))
                    .extracting(SearchHit::chunkId).containsExactly("c2");
            assertThat(ok(index.keyword("union rain", 1, List.of()))).hasSize(1);
        }
    }

    @Test
    @DisplayName("an index written before the words were indexed says it needs a re-ingest; upserting its chunks again fixes it")
    void oldIndexNeedsReingest() throws Exception {
        try (FSDirectory directory = FSDirectory.open(dir);
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            for (EmbeddedChunk c : speeches) {
                Document old = LuceneFields.toDocument(c);
                old.removeField(LuceneFields.WORDS);
                writer.updateDocument(LuceneFields.key(c.chunk().id()), old);
            }
            writer.commit();
        }
        try (LuceneVectorIndex index = open()) {
            var refused = err(index.keyword("union", 10, List.of()).open().await().indefinitely());
            assertThat(refused.code()).isEqualTo(ErrCode.INVALID_INPUT);
            assertThat(refused.message()).contains("written before keyword search existed", "ingest its documents again",
                    "vector mode");
            assertThat(ok(index.search(EMBEDDER.vector("union"), 2))).hasSize(2);
            ok(index.upsert(speeches));
            assertThat(ok(index.keyword("union", 10, List.of()))).extracting(SearchHit::chunkId).containsExactly("c1", "c2");
        }
    }
}
