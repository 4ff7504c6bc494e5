package io.funcpipe.adapters.index;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.MetadataFilter;
import io.funcpipe.rag.SearchHit;

/**
 * How a chunk is laid out in a Lucene document: the chunk id (indexed, the upsert key), the
 * document id (indexed), location, text (stored, and analysed into {@value #WORDS} for BM25), position and metadata (each entry a stored
 * {@code meta.<key>} field, indexed as a keyword when at most {@value #MAX_KEYWORD_CHARS} characters
 * long, and, when it reads as a number, a {@code metanum.<key>} point for ranges), and the vector
 * (HNSW, cosine).
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
    static final String META_PREFIX = "meta.";
    static final String META_NUMBER_PREFIX = "metanum.";
    /** Longer metadata values are stored only: a filter never matches them (Lucene terms are bounded). */
    static final int MAX_KEYWORD_CHARS = 1000;

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
        chunk.metadata().forEach((key, value) -> addMetadata(doc, key, value));
        doc.add(new KnnFloatVectorField(VECTOR, embedded.vector(), VectorSimilarityFunction.COSINE));
        return doc;
    }

    private static void addMetadata(Document doc, String key, String value) {
        if (value.length() > MAX_KEYWORD_CHARS) {
            doc.add(new StoredField(META_PREFIX + key, value));
            return;
        }
        doc.add(new StringField(META_PREFIX + key, value, Field.Store.YES));
        number(value).ifPresent(n -> doc.add(new DoublePoint(META_NUMBER_PREFIX + key, n)));
    }

    private static java.util.OptionalDouble number(String value) {
        String v = value.strip();
        if (v.isEmpty() || v.length() > 40) {
            return java.util.OptionalDouble.empty();
        }
        try {
            double n = Double.parseDouble(v);
            return Double.isFinite(n) ? java.util.OptionalDouble.of(n) : java.util.OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return java.util.OptionalDouble.empty();
        }
    }

    /** The Lucene filter for every condition at once, or null (no filter) for none. */
    static Query filter(List<MetadataFilter> filters) {
        if (filters.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (MetadataFilter f : filters) {
            all.add(f.isRange() ? DoublePoint.newRangeQuery(META_NUMBER_PREFIX + f.field(), f.min(), f.max())
                    : new TermQuery(new Term(META_PREFIX + f.field(), f.equals())), BooleanClause.Occur.FILTER);
        }
        return all.build();
    }

    /**
     * A hit from a stored document; {@code luceneScore} is Lucene's cosine score {@code (1 + cos) / 2},
     * reported as the cosine similarity itself.
     */
    static SearchHit toHit(Document doc, float luceneScore) {
        return hit(doc, 2 * luceneScore - 1);
    }

    /** A hit of a keyword search: the score is Lucene's BM25 score as it is. */
    static SearchHit toKeywordHit(Document doc, float bm25) {
        return hit(doc, bm25);
    }

    private static SearchHit hit(Document doc, float score) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (IndexableField field : doc.getFields()) {
            if (field.name().startsWith(META_PREFIX) && field.stringValue() != null) {
                metadata.put(field.name().substring(META_PREFIX.length()), field.stringValue());
            }
        }
        return new SearchHit(doc.get(ID), doc.get(DOC_ID), doc.get(LOCATION), score, doc.get(TEXT), metadata);
    }
}
