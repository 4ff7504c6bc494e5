package io.funcpipe.adapters.index;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.SearchHit;

/**
 * How a chunk is laid out in a Lucene document: the chunk id (indexed, the upsert key), the
 * document id (indexed), location, text, position and metadata (stored; each metadata entry as a
 * {@code meta.<key>} field, and, when at most {@value #MAX_WHERE_CHARS} characters long, indexed
 * as an exact term {@code where.<key>} for {@link #where} filters), and the vector (HNSW, cosine).
 */
final class LuceneFields {

    static final String ID = "id";
    static final String DOC_ID = "docId";
    static final String LOCATION = "location";
    static final String TEXT = "text";
    static final String POSITION = "position";
    static final String VECTOR = "vector";
    static final String META_PREFIX = "meta.";
    static final String WHERE_PREFIX = "where.";
    static final int MAX_WHERE_CHARS = 1000;

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
        doc.add(new StoredField(POSITION, chunk.position()));
        chunk.metadata().forEach((key, value) -> {
            doc.add(new StoredField(META_PREFIX + key, value));
            if (value.length() <= MAX_WHERE_CHARS) {
                doc.add(new StringField(WHERE_PREFIX + key, value, Field.Store.NO));
            }
        });
        doc.add(new KnnFloatVectorField(VECTOR, embedded.vector(), VectorSimilarityFunction.COSINE));
        return doc;
    }

    /** Chunks whose metadata has every entry of {@code where} exactly, or null when it is empty (no filter). */
    static Query where(Map<String, String> where) {
        if (where.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        where.forEach((key, value) -> all.add(new TermQuery(new Term(WHERE_PREFIX + key, value)), BooleanClause.Occur.FILTER));
        return all.build();
    }

    /**
     * A hit from a stored document; {@code luceneScore} is Lucene's cosine score {@code (1 + cos) / 2},
     * reported as the cosine similarity itself.
     */
    static SearchHit toHit(Document doc, float luceneScore) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (IndexableField field : doc.getFields()) {
            if (field.name().startsWith(META_PREFIX) && field.stringValue() != null) {
                metadata.put(field.name().substring(META_PREFIX.length()), field.stringValue());
            }
        }
        return new SearchHit(doc.get(ID), doc.get(DOC_ID), doc.get(LOCATION), 2 * luceneScore - 1,
                doc.get(TEXT), metadata);
    }
}
