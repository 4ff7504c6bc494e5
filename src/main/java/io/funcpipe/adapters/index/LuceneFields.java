package io.funcpipe.adapters.index;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;

import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.SearchHit;

/**
 * How a chunk is laid out in a Lucene document: the chunk id (indexed, the upsert key), the
 * document id (indexed), location, text (stored, and analysed into {@value #WORDS} for BM25), position,
 * and the vector (HNSW, cosine). A chunk does not carry its metadata: that is its document's, stored
 * once per document ({@link MetadataFields}); a hit gets it from there.
 */
final class LuceneFields {

    static final String ID = "id";
    static final String DOC_ID = "docId";
    static final String LOCATION = "location";
    static final String TEXT = "text";
    /** The chunk text analysed into words (Lucene's standard analyzer), indexed but not stored: what BM25 searches. */
    static final String WORDS = "words";
    static final String POSITION = "position";
    static final String VECTOR = "vector";

    private LuceneFields() {
    }

    /** The term that names a chunk's document, for {@code updateDocument}. */
    static Term key(String chunkId) {
        return new Term(ID, chunkId);
    }

    static Document toDocument(EmbeddedChunk embedded) {
        Chunk chunk = embedded.chunk();
        Document doc = new Document();
        doc.add(new StringField(ID, chunk.id(), Field.Store.YES));
        doc.add(new StringField(DOC_ID, chunk.docId(), Field.Store.YES));
        doc.add(new StoredField(LOCATION, chunk.location()));
        doc.add(new StoredField(TEXT, chunk.text()));
        doc.add(new TextField(WORDS, chunk.text(), Field.Store.NO));
        doc.add(new StoredField(POSITION, chunk.position()));
        MetadataFields.index(doc, chunk.metadata());
        doc.add(new KnnFloatVectorField(VECTOR, embedded.vector(), VectorSimilarityFunction.COSINE));
        return doc;
    }

    /**
     * A hit from a stored document; {@code luceneScore} is Lucene's cosine score {@code (1 + cos) / 2},
     * reported as the cosine similarity itself.
     */
    static SearchHit toHit(Document doc, float luceneScore, Map<String, String> documentMetadata) {
        return hit(doc, 2 * luceneScore - 1, documentMetadata);
    }

    /** A hit of a keyword search: the score is Lucene's BM25 score as it is. */
    static SearchHit toKeywordHit(Document doc, float bm25, Map<String, String> documentMetadata) {
        return hit(doc, bm25, documentMetadata);
    }

    /**
     * The hit's metadata is its document's ({@code documentMetadata}, from its metadata document) and
     * whatever the chunk itself carries (a chunk written before metadata moved out of the chunks), the
     * chunk's own value winning for a key.
     */
    private static SearchHit hit(Document doc, float score, Map<String, String> documentMetadata) {
        Map<String, String> metadata = new LinkedHashMap<>(documentMetadata);
        metadata.putAll(MetadataFields.read(doc));
        return new SearchHit(doc.get(ID), doc.get(DOC_ID), doc.get(LOCATION), score, doc.get(TEXT), metadata);
    }
}
