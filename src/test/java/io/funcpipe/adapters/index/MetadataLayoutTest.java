package io.funcpipe.adapters.index;

import static io.funcpipe.adapters.index.LuceneVectorIndexTest.EMBEDDER;
import static io.funcpipe.adapters.index.LuceneVectorIndexTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.core.Ok;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.Deletion;
import io.funcpipe.rag.DocumentRecord;
import io.funcpipe.rag.DocumentWrite;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.MetadataFilter;
import io.funcpipe.rag.SearchHit;

@DisplayName("LuceneVectorIndex: a document's metadata is stored once per document, not once per chunk")
class MetadataLayoutTest {

    private static final int CHUNKS = 6;
    /** Longer than MetadataFields.MAX_KEYWORD_CHARS: stored only. */
    private static final String LONG = "x".repeat(MetadataFields.MAX_KEYWORD_CHARS + 5);

    @TempDir
    Path dir;

    /** Document {@code docId}'s metadata: president, year, a long abstract. */
    private static Map<String, String> metadata(String president, int year) {
        return Map.of("president", president, "year", Integer.toString(year), "abstract", LONG);
    }

    private static List<EmbeddedChunk> chunks(String docId, Map<String, String> metadata) {
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++) {
            String text = docId + " speech part " + i + " about the union and the harvest";
            chunks.add(new EmbeddedChunk(new Chunk(docId + "#" + i, docId, docId + ".csv:" + i, i, text, 10, metadata),
                    EMBEDDER.vector(text)));
        }
        return chunks;
    }

    private final List<EmbeddedChunk> lincoln = chunks("lincoln", metadata("Lincoln", 1862));
    private final List<EmbeddedChunk> roosevelt = chunks("roosevelt", metadata("Roosevelt", 1941));
    private final List<EmbeddedChunk> bush = chunks("bush", metadata("Bush", 2002));

    private List<EmbeddedChunk> all() {
        List<EmbeddedChunk> all = new ArrayList<>(lincoln);
        all.addAll(roosevelt);
        all.addAll(bush);
        return all;
    }

    private static DocumentWrite write(List<EmbeddedChunk> chunks) {
        String id = chunks.getFirst().chunk().docId();
        List<String> ids = chunks.stream().map(c -> c.chunk().id()).toList();
        return new DocumentWrite(new DocumentRecord(id, "root", id + ".csv", "hash-" + id, ids, "hashing-64", "words-24",
                Instant.parse("2026-01-01T00:00:00Z")), chunks);
    }

    private LuceneVectorIndex open() {
        return LuceneVectorIndex.open(dir, EMBEDDER.dimensions()).fold(i -> i, e -> {
            throw new AssertionError(e.message());
        });
    }

    /** Live Lucene documents of the committed index that have a stored {@code field}. */
    private long storedWith(String field) throws IOException {
        try (FSDirectory directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
            Bits live = MultiBits.getLiveDocs(reader);
            StoredFields stored = reader.storedFields();
            long count = 0;
            for (int i = 0; i < reader.maxDoc(); i++) {
                if ((live == null || live.get(i)) && stored.document(i).get(field) != null) {
                    count++;
                }
            }
            return count;
        }
    }

    private int liveDocs() throws IOException {
        try (FSDirectory directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.numDocs();
        }
    }

    /** What {@code funcpipe stats} reads from the index: its documents and chunks. */
    private void assertCounts(long documents, long chunks) {
        IndexStats stats = stats();
        assertThat(stats.documents()).isEqualTo(documents);
        assertThat(stats.chunks()).isEqualTo(chunks);
    }

    private IndexStats stats() {
        return switch (IndexStats.read(dir)) {
            case Ok<IndexStats>(IndexStats stats) -> stats;
            case io.funcpipe.core.Err<IndexStats>(var e) -> throw new AssertionError(e.message());
        };
    }

    private static List<String> docIds(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::docId).distinct().sorted().toList();
    }

    /** Filters by equality and by range in both searches; every hit carries its document's whole metadata. */
    private static void assertFilters(LuceneVectorIndex index) {
        float[] query = EMBEDDER.vector("speech about the union");
        List<SearchHit> lincolnHits = ok(index.search(query, 50, List.of(MetadataFilter.equalTo("president", "Lincoln"))));
        assertThat(lincolnHits).hasSize(CHUNKS).allSatisfy(h -> assertThat(h.docId()).isEqualTo("lincoln"));
        assertThat(lincolnHits).allSatisfy(h -> assertThat(h.metadata()).isEqualTo(metadata("Lincoln", 1862)));
        List<SearchHit> modern = ok(index.search(query, 50, List.of(MetadataFilter.between("year", 1900, 2100))));
        assertThat(modern).hasSize(2 * CHUNKS);
        assertThat(docIds(modern)).containsExactly("bush", "roosevelt");
        assertThat(modern).allSatisfy(h -> assertThat(h.metadata())
                .isEqualTo(h.docId().equals("bush") ? metadata("Bush", 2002) : metadata("Roosevelt", 1941)));
        assertThat(ok(index.search(query, 50, List.of(MetadataFilter.between("year", 1900, 2100),
                MetadataFilter.equalTo("president", "Lincoln"))))).as("both must hold").isEmpty();
        assertThat(ok(index.search(query, 50, List.of(MetadataFilter.equalTo("president", "Nobody"))))).isEmpty();
        assertThat(ok(index.search(query, 50, List.of(MetadataFilter.equalTo("abstract", LONG)))))
                .as("a long value is stored only").isEmpty();

        List<SearchHit> words = ok(index.keyword("union harvest", 50, List.of(MetadataFilter.between("year", 1800, 1900))));
        assertThat(words).hasSize(CHUNKS).allSatisfy(h -> assertThat(h.metadata()).isEqualTo(metadata("Lincoln", 1862)));
        List<SearchHit> bushWords = ok(index.keyword("union", 50, List.of(MetadataFilter.equalTo("president", "Bush"))));
        assertThat(docIds(bushWords)).containsExactly("bush");
        assertThat(bushWords).hasSize(CHUNKS);
        assertThat(ok(index.keyword("union", 50, List.of(MetadataFilter.equalTo("year", "1700"))))).isEmpty();
        assertThat(ok(index.search(query, 3))).hasSize(3).allSatisfy(h -> assertThat(h.metadata()).containsKey("year"));
    }

    @Test
    @DisplayName("upsert (sync none): one metadata document per document; filters and hits as before; counts are chunks")
    void upsertStoresOnce() throws IOException {
        try (LuceneVectorIndex index = open()) {
            ok(index.upsert(lincoln.subList(0, 2)));
            ok(index.upsert(all().subList(2, 3 * CHUNKS)));
            ok(index.commit());
            assertThat(index.count()).isEqualTo(3 * CHUNKS);
            assertFilters(index);
        }
        assertThat(storedWith(MetadataFields.STORED_PREFIX + "year")).isEqualTo(3);
        assertThat(storedWith(MetadataFields.STORED_PREFIX + "abstract")).isEqualTo(3);
        assertThat(storedWith(MetadataFields.META_PREFIX + "year")).as("no chunk stores a metadata value").isZero();
        assertThat(storedWith(LuceneFields.ID)).isEqualTo(3 * CHUNKS);
        assertCounts(3, 3 * CHUNKS);
    }

    @Test
    @DisplayName("write (sync incremental/full): the metadata document is part of the document's block")
    void writeStoresOnce() throws IOException {
        try (LuceneVectorIndex index = open()) {
            assertThat(ok(index.write(List.of(write(lincoln), write(roosevelt), write(bush)), true))).isEqualTo(3 * CHUNKS);
            assertThat(ok(index.write(List.of(write(lincoln)), true))).as("replaced whole").isEqualTo(CHUNKS);
            ok(index.commit());
            assertThat(index.count()).isEqualTo(3 * CHUNKS);
            assertThat(index.chunkings()).containsExactly(Map.entry("words-24", 3L));
            assertFilters(index);
        }
        assertThat(storedWith(MetadataFields.STORED_PREFIX + "president")).isEqualTo(3);
        assertThat(storedWith(DocumentFields.ROOT)).isEqualTo(3);
        assertThat(liveDocs()).isEqualTo(3 * CHUNKS + 3 + 3);
        assertCounts(3, 3 * CHUNKS);
    }

    @Test
    @DisplayName("write without replace keeps one metadata document per document too")
    void writeWithoutReplace() throws IOException {
        try (LuceneVectorIndex index = open()) {
            ok(index.write(List.of(write(lincoln), write(bush)), false));
            ok(index.write(List.of(write(lincoln)), false));
            ok(index.commit());
            assertThat(index.count()).isEqualTo(2 * CHUNKS);
        }
        assertThat(storedWith(MetadataFields.STORED_PREFIX + "year")).isEqualTo(2);
    }

    @Test
    @DisplayName("deleting documents removes their metadata documents; the deletion counts chunks only")
    void deletes() throws IOException {
        try (LuceneVectorIndex index = open()) {
            ok(index.upsert(all()));
            assertThat(ok(index.delete(List.of("lincoln")))).isEqualTo(new Deletion(1, CHUNKS));
            assertThat(index.count()).isEqualTo(2 * CHUNKS);
            assertThat(ok(index.search(EMBEDDER.vector("union"), 50, List.of(MetadataFilter.equalTo("president", "Lincoln")))))
                    .isEmpty();
            ok(index.write(List.of(write(lincoln)), true));
            assertThat(ok(index.deleteUnseen(List.of("root"), java.util.Set.of()))).isEqualTo(new Deletion(1, CHUNKS));
            assertThat(ok(index.delete(List.of("roosevelt", "bush")))).isEqualTo(new Deletion(2, 2 * CHUNKS));
            ok(index.commit());
            assertThat(index.count()).isZero();
        }
        assertThat(liveDocs()).isZero();
        assertCounts(0, 0);
    }

    @Test
    @DisplayName("a document upserted again without metadata keeps none of its old metadata")
    void metadataDropped() throws IOException {
        try (LuceneVectorIndex index = open()) {
            ok(index.upsert(lincoln));
            ok(index.upsert(chunks("lincoln", Map.of())));
            ok(index.commit());
            assertThat(ok(index.search(EMBEDDER.vector("union"), 50))).hasSize(CHUNKS)
                    .allSatisfy(h -> assertThat(h.metadata()).isEmpty());
            assertThat(ok(index.search(EMBEDDER.vector("union"), 50, List.of(MetadataFilter.equalTo("president", "Lincoln")))))
                    .isEmpty();
        }
        assertThat(liveDocs()).isEqualTo(CHUNKS);
    }

    /** A chunk as the index wrote it before metadata moved out of the chunks: its own meta.* fields. */
    private static Document oldChunk(EmbeddedChunk chunk) {
        Document doc = DocumentFields.chunk(chunk);
        chunk.chunk().metadata().forEach((key, value) -> {
            if (value.length() > MetadataFields.MAX_KEYWORD_CHARS) {
                doc.add(new org.apache.lucene.document.StoredField(MetadataFields.META_PREFIX + key, value));
                return;
            }
            doc.add(new StringField(MetadataFields.META_PREFIX + key, value, Field.Store.YES));
            try {
                doc.add(new DoublePoint(MetadataFields.META_NUMBER_PREFIX + key, Double.parseDouble(value)));
            } catch (NumberFormatException notANumber) {
                // text only
            }
        });
        return doc;
    }

    @Test
    @DisplayName("an index written the old way (metadata in every chunk) still filters and returns metadata, mixed with new documents")
    void oldLayout() throws IOException {
        try (FSDirectory directory = FSDirectory.open(dir);
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            for (EmbeddedChunk c : lincoln) {
                writer.updateDocument(LuceneFields.key(c.chunk().id()), oldChunk(c));
            }
            for (EmbeddedChunk c : roosevelt) {
                writer.updateDocument(LuceneFields.key(c.chunk().id()), oldChunk(c));
            }
            writer.commit();
        }
        try (LuceneVectorIndex index = open()) {
            assertThat(index.count()).isEqualTo(2 * CHUNKS);
            float[] query = EMBEDDER.vector("speech about the union");
            List<SearchHit> old = ok(index.search(query, 50, List.of(MetadataFilter.equalTo("president", "Lincoln"))));
            assertThat(old).hasSize(CHUNKS).allSatisfy(h -> assertThat(h.metadata()).isEqualTo(metadata("Lincoln", 1862)));
            ok(index.upsert(bush));
            assertFilters(index);
            ok(index.commit());
        }
        assertCounts(3, 3 * CHUNKS);
    }
}
