package io.funcpipe.adapters.index;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
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
 * How a FuncPipe document's metadata is laid out in the index: once per document, in a Lucene
 * document of its own kind ({@value DocumentFields#KIND} = {@value #KIND}, no vector and no words,
 * so no search returns it) that carries the document's {@link LuceneFields#DOC_ID} term (so the
 * deletes by that term remove it with the chunks and the record) and a term of its own,
 * {@value #DOC} (indexed, with sorted doc values: the replace key, and how a filter reads the ids
 * it matched). Each entry is a stored {@code meta.<key>} field, indexed as a keyword when at most
 * {@value #MAX_KEYWORD_CHARS} characters long, and, when it reads as a number, a
 * {@code metanum.<key>} point for ranges. Chunks written before metadata moved here carry the same
 * fields themselves; {@link MetadataSearch} reads both.
 */
final class MetadataFields {

    static final String KIND = "metadata";
    /** The metadata document's own term and doc values: its FuncPipe document id. */
    static final String DOC = "metadoc";
    static final String META_PREFIX = "meta.";
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
        doc.add(new KeywordField(DOC, docId, Field.Store.NO));
        metadata.forEach((key, value) -> add(doc, key, value));
        return doc;
    }

    private static void add(Document doc, String key, String value) {
        if (value.length() > MAX_KEYWORD_CHARS) {
            doc.add(new StoredField(META_PREFIX + key, value));
            return;
        }
        doc.add(new StringField(META_PREFIX + key, value, Field.Store.YES));
        number(value).ifPresent(n -> doc.add(new DoublePoint(META_NUMBER_PREFIX + key, n)));
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
     * Every condition at once on the {@code meta.*}/{@code metanum.*} fields of a Lucene document
     * (a metadata document, or a chunk written before metadata moved out of the chunks); not empty.
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

    /** The stored metadata entries of a Lucene document, in stored order (none for a chunk of today's layout). */
    static Map<String, String> read(Document doc) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (IndexableField field : doc.getFields()) {
            if (field.name().startsWith(META_PREFIX) && field.stringValue() != null) {
                metadata.put(field.name().substring(META_PREFIX.length()), field.stringValue());
            }
        }
        return metadata;
    }
}
