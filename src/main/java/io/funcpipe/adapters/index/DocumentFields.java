package io.funcpipe.adapters.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import io.funcpipe.rag.ContentHash;
import io.funcpipe.rag.DocumentRecord;
import io.funcpipe.rag.EmbeddedChunk;

/**
 * How a {@link DocumentRecord} is laid out in the index: a Lucene document of its own kind
 * ({@value #KIND} = {@value #RECORD_KIND}, no vector, so no search ever returns it) that carries the
 * same {@link LuceneFields#DOC_ID} term as the document's chunks, so that one term deletes a
 * document's chunks and its record together. Chunks get one more field here: the hash of their
 * text ({@value #TEXT_HASH}, indexed), by which a later run finds a vector to reuse.
 */
final class DocumentFields {

    static final String KIND = "kind";
    static final String RECORD_KIND = "document";
    static final String RECORD = "record";
    static final String ROOT = "record.root";
    static final String LOCATION = "record.location";
    static final String CONTENT_HASH = "record.contentHash";
    static final String CHUNK_ID = "record.chunkId";
    static final String EMBEDDER = "record.embedder";
    static final String CHUNKING = "record.chunking";
    static final String TIME = "record.time";
    static final String TEXT_HASH = "textHash";

    private DocumentFields() {
    }

    /** The term every Lucene document of a FuncPipe document carries: its chunks and its record. */
    static Term document(String docId) {
        return new Term(LuceneFields.DOC_ID, docId);
    }

    /** The term of a document's record alone. */
    static Term record(String docId) {
        return new Term(RECORD, docId);
    }

    static Query records() {
        return new TermQuery(new Term(KIND, RECORD_KIND));
    }

    static Query recordsOf(String root) {
        return new TermQuery(new Term(ROOT, root));
    }

    static Query textHash(String hash) {
        return new TermQuery(new Term(TEXT_HASH, hash));
    }

    /** A chunk's Lucene document: its fields ({@link LuceneFields}) and its text hash. */
    static Document chunk(EmbeddedChunk chunk) {
        Document doc = LuceneFields.toDocument(chunk);
        doc.add(new StringField(TEXT_HASH, ContentHash.ofText(chunk.chunk().text()), Field.Store.NO));
        return doc;
    }

    static Document toDocument(DocumentRecord record) {
        Document doc = new Document();
        doc.add(new StringField(KIND, RECORD_KIND, Field.Store.NO));
        doc.add(new StringField(LuceneFields.DOC_ID, record.id(), Field.Store.YES));
        doc.add(new StringField(RECORD, record.id(), Field.Store.NO));
        doc.add(new StringField(ROOT, record.root(), Field.Store.YES));
        doc.add(new StoredField(LOCATION, record.location()));
        doc.add(new StoredField(CONTENT_HASH, record.contentHash()));
        for (String id : record.chunkIds()) {
            doc.add(new StoredField(CHUNK_ID, id));
        }
        doc.add(new StoredField(EMBEDDER, record.embedder()));
        doc.add(new StoredField(CHUNKING, record.chunking()));
        doc.add(new StoredField(TIME, record.time().toString()));
        return doc;
    }

    static DocumentRecord toRecord(Document doc) {
        List<String> chunkIds = new ArrayList<>();
        for (IndexableField f : doc.getFields(CHUNK_ID)) {
            chunkIds.add(f.stringValue());
        }
        return new DocumentRecord(doc.get(LuceneFields.DOC_ID), doc.get(ROOT), doc.get(LOCATION), doc.get(CONTENT_HASH),
                chunkIds, doc.get(EMBEDDER), doc.get(CHUNKING), Instant.parse(doc.get(TIME)));
    }
}
