package io.funcpipe.adapters.index;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.MetadataFilter;

/**
 * How a FuncPipe document's metadata is laid out in the index. Its values are <em>stored</em> once
 * per document, in a Lucene document of its own kind ({@value DocumentFields#KIND} = {@value #KIND},
 * no vector and no words, so no search returns it) that carries the document's
 * {@link LuceneFields#DOC_ID} term (so the deletes by that term remove it with the chunks and the
 * record) and a term of its own, {@value #DOC} (the replace key, and how a page of hits finds its
 * documents' metadata): one stored {@value #STORED_PREFIX}{@code <key>} field per entry. What filters search is
 * <em>indexed</em> on every chunk, unstored ({@link #index}): each entry of at most
 * {@value #MAX_KEYWORD_CHARS} characters as a {@code meta.<key>} keyword, and, when it reads as a
 * number, a {@code metanum.<key>} point for ranges; a chunk pays a posting per entry, never the
 * value's bytes, and a filter runs on the chunks directly (the KNN pre-filter). Chunks written
 * before metadata moved out of them also store the values themselves; {@link #read} reads both.
 */
final class MetadataFields {

    static final String KIND = "metadata";
    /** The metadata document's own term and doc values: its FuncPipe document id. */
    static final String DOC = "metadoc";
    static final String META_PREFIX = "meta.";
    /**
     * The stored fields of a metadata document: a name of their own, as Lucene wants one field name
     * to be indexed alike in every document (the chunks index {@code meta.<key>}, unstored).
     */
    static final String STORED_PREFIX = "metadata.";
    static final String META_NUMBER_PREFIX = "metanum.";
    /** Longer metadata values are stored only: a filter never matches them (Lucene terms are bounded). */
    static final int MAX_KEYWORD_CHARS = 1000;

    private MetadataFields() {
    }

    /** The term of the metadata document of {@code docId} alone. */
    static Term of(String docId) {
        return new Term(DOC, docId);
    }

    /** Every metadata document. */
    static Query documents() {
        return new TermQuery(new Term(DocumentFields.KIND, KIND));
    }

    /**
     * The metadata of each document of {@code chunks}, in first-seen order: the entries of its chunks
     * (which all hold their document's metadata), a later chunk's value winning for a key.
     */
    static Map<String, Map<String, String>> byDocument(List<EmbeddedChunk> chunks) {
        Map<String, Map<String, String>> docs = new LinkedHashMap<>();
        for (EmbeddedChunk embedded : chunks) {
            docs.computeIfAbsent(embedded.chunk().docId(), id -> new LinkedHashMap<>()).putAll(embedded.chunk().metadata());
        }
        return docs;
    }

    /** The metadata document of {@code docId}; {@code metadata} is not empty. */
    static Document toDocument(String docId, Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            throw new IllegalArgumentException("document " + docId + " has no metadata to store");
        }
        Document doc = new Document();
        doc.add(new StringField(DocumentFields.KIND, KIND, Field.Store.NO));
        doc.add(new StringField(LuceneFields.DOC_ID, docId, Field.Store.YES));
        doc.add(new StringField(DOC, docId, Field.Store.NO));
        metadata.forEach((key, value) -> doc.add(new StoredField(STORED_PREFIX + key, value)));
        return doc;
    }

    /** Adds to a chunk's Lucene document what filters search of {@code metadata}: indexed, not stored. */
    static void index(Document chunk, Map<String, String> metadata) {
        metadata.forEach((key, value) -> {
            if (value.length() <= MAX_KEYWORD_CHARS) {
                chunk.add(new StringField(META_PREFIX + key, value, Field.Store.NO));
                number(value).ifPresent(n -> chunk.add(new DoublePoint(META_NUMBER_PREFIX + key, n)));
            }
        });
    }

    private static OptionalDouble number(String value) {
        String v = value.strip();
        if (v.isEmpty() || v.length() > 40) {
            return OptionalDouble.empty();
        }
        try {
            double n = Double.parseDouble(v);
            return Double.isFinite(n) ? OptionalDouble.of(n) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /**
     * Every condition at once on the indexed {@code meta.*}/{@code metanum.*} fields of the chunks
     * (of either layout); not empty.
     */
    static Query conditions(List<MetadataFilter> filters) {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("no filter to build conditions of");
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (MetadataFilter f : filters) {
            all.add(f.isRange() ? DoublePoint.newRangeQuery(META_NUMBER_PREFIX + f.field(), f.min(), f.max())
                    : new TermQuery(new Term(META_PREFIX + f.field(), f.equals())), BooleanClause.Occur.FILTER);
        }
        return all.build();
    }

    /**
     * The stored metadata entries of a Lucene document, in stored order: a metadata document's, or
     * those a chunk written before metadata moved out of the chunks stores (today's chunks store none).
     */
    static Map<String, String> read(Document doc) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (IndexableField field : doc.getFields()) {
            String name = field.name();
            String prefix = name.startsWith(STORED_PREFIX) ? STORED_PREFIX : name.startsWith(META_PREFIX) ? META_PREFIX : null;
            if (prefix != null && field.stringValue() != null) {
                metadata.put(name.substring(prefix.length()), field.stringValue());
            }
        }
        return metadata;
    }
}
