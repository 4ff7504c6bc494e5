package io.funcpipe.adapters.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

import io.funcpipe.rag.Deletion;
import io.funcpipe.rag.DocumentRecord;
import io.funcpipe.rag.DocumentWrite;
import io.funcpipe.rag.EmbeddedChunk;

/**
 * The document side of a {@link LuceneVectorIndex}: writing documents whole with their records,
 * reading records and stored vectors, deleting documents. Blocking; the index runs these on its
 * workers. A document is written with one {@link IndexWriter#updateDocuments} call (delete by its
 * id term, add its chunks, record and metadata document ({@link MetadataFields}, when it has metadata)
 * as one block), which Lucene applies atomically: a commit or a
 * reader sees the whole block and none of what it replaced, or the old version whole.
 */
final class DocumentStore {

    private final IndexWriter writer;
    private final SearcherManager searchers;

    DocumentStore(IndexWriter writer, SearcherManager searchers) {
        this.writer = writer;
        this.searchers = searchers;
    }

    /** Writes each document whole; {@code replace}: what its id held goes in the same step. The chunks written. */
    int write(List<DocumentWrite> docs, boolean replace) throws IOException {
        int chunks = 0;
        for (DocumentWrite doc : docs) {
            List<Document> block = new ArrayList<>(doc.chunks().size() + 2);
            for (EmbeddedChunk chunk : doc.chunks()) {
                block.add(DocumentFields.chunk(chunk));
            }
            Map<String, Map<String, String>> metadata = MetadataFields.byDocument(doc.chunks());
            if (replace) {
                block.add(DocumentFields.toDocument(doc.record()));
                metadata.forEach((id, entries) -> {
                    if (!entries.isEmpty()) {
                        block.add(MetadataFields.toDocument(id, entries));
                    }
                });
                writer.updateDocuments(DocumentFields.document(doc.record().id()), block);
            } else {
                for (int i = 0; i < block.size(); i++) {
                    writer.updateDocument(LuceneFields.key(doc.chunks().get(i).chunk().id()), block.get(i));
                }
                writer.updateDocument(DocumentFields.record(doc.record().id()), DocumentFields.toDocument(doc.record()));
                putMetadata(metadata);
            }
            chunks += doc.chunks().size();
        }
        return chunks;
    }

    /**
     * Stores each document's metadata in its metadata document, replacing the one it had (by the
     * term unique to it, {@link MetadataFields#of}); empty metadata deletes that document, so a
     * document upserted again without metadata keeps none of its old.
     */
    void putMetadata(Map<String, Map<String, String>> metadata) throws IOException {
        for (Map.Entry<String, Map<String, String>> doc : metadata.entrySet()) {
            if (doc.getValue().isEmpty()) {
                writer.deleteDocuments(MetadataFields.of(doc.getKey()));
            } else {
                writer.updateDocument(MetadataFields.of(doc.getKey()), MetadataFields.toDocument(doc.getKey(), doc.getValue()));
            }
        }
    }

    /** The records of those of {@code ids} the reader sees (the last refresh: at least the last commit). */
    Map<String, DocumentRecord> records(Collection<String> ids) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            Map<String, DocumentRecord> found = new HashMap<>();
            for (String id : new LinkedHashSet<>(ids)) {
                TopDocs top = searcher.search(new TermQuery(DocumentFields.record(id)), 1);
                if (top.scoreDocs.length > 0) {
                    found.put(id, DocumentFields.toRecord(searcher.storedFields().document(top.scoreDocs[0].doc)));
                }
            }
            return found;
        } finally {
            searchers.release(searcher);
        }
    }

    /** A stored vector for each text hash some chunk has. */
    Map<String, float[]> vectors(Collection<String> textHashes) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            Map<String, float[]> found = new HashMap<>();
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            for (String hash : new LinkedHashSet<>(textHashes)) {
                TopDocs top = searcher.search(DocumentFields.textHash(hash), 1);
                if (top.scoreDocs.length == 0) {
                    continue;
                }
                int doc = top.scoreDocs[0].doc;
                LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
                FloatVectorValues values = leaf.reader().getFloatVectorValues(LuceneFields.VECTOR);
                if (values == null) {
                    continue;
                }
                KnnVectorValues.DocIndexIterator it = values.iterator();
                if (it.advance(doc - leaf.docBase) == doc - leaf.docBase) {
                    found.put(hash, values.vectorValue(it.index()).clone());
                }
            }
            return found;
        } finally {
            searchers.release(searcher);
        }
    }

    /** Deletes the documents {@code ids}: their chunks, records and metadata documents. */
    Deletion delete(Collection<String> ids) throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher searcher = searchers.acquire();
        long documents = 0;
        long chunks = 0;
        try {
            for (String id : new LinkedHashSet<>(ids)) {
                int all = searcher.count(new TermQuery(DocumentFields.document(id)));
                if (all == 0) {
                    continue;
                }
                int notChunks = searcher.count(new TermQuery(DocumentFields.record(id)))
                        + searcher.count(new TermQuery(MetadataFields.of(id)));
                documents++;
                chunks += all - notChunks;
                writer.deleteDocuments(DocumentFields.document(id));
            }
        } finally {
            searchers.release(searcher);
        }
        return new Deletion(documents, chunks);
    }

    /** Deletes the documents read under one of {@code roots} whose id is not in {@code seen}. */
    Deletion deleteUnseen(Collection<String> roots, Set<String> seen) throws IOException {
        searchers.maybeRefreshBlocking();
        List<String> unseen = new ArrayList<>();
        IndexSearcher searcher = searchers.acquire();
        try {
            int limit = Math.max(1, searcher.getIndexReader().maxDoc());
            for (String root : new LinkedHashSet<>(roots)) {
                for (ScoreDoc hit : searcher.search(DocumentFields.recordsOf(root), limit).scoreDocs) {
                    String id = searcher.storedFields().document(hit.doc, Set.of(LuceneFields.DOC_ID)).get(LuceneFields.DOC_ID);
                    if (!seen.contains(id)) {
                        unseen.add(id);
                    }
                }
            }
        } finally {
            searchers.release(searcher);
        }
        return delete(unseen);
    }

    /** How many records there are of each chunking label, in the reader's view. */
    Map<String, Long> chunkings() throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher searcher = searchers.acquire();
        try {
            Map<String, Long> counts = new java.util.TreeMap<>();
            int limit = Math.max(1, searcher.getIndexReader().maxDoc());
            for (ScoreDoc hit : searcher.search(DocumentFields.records(), limit).scoreDocs) {
                String label = searcher.storedFields().document(hit.doc, Set.of(DocumentFields.CHUNKING))
                        .get(DocumentFields.CHUNKING);
                counts.merge(label, 1L, Long::sum);
            }
            return counts;
        } finally {
            searchers.release(searcher);
        }
    }

    /**
     * Live Lucene documents in {@code searcher}'s view that are not chunks: records and metadata
     * documents (every other Lucene document of an index is a chunk).
     */
    static int notChunks(IndexSearcher searcher) throws IOException {
        return searcher.count(DocumentFields.records()) + searcher.count(MetadataFields.documents());
    }
}
