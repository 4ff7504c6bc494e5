package io.funcpipe.adapters.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.QueryBuilder;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.MetadataFilter;
import io.funcpipe.rag.SearchHit;

/**
 * The two searches of an index, over one {@link IndexSearcher}: nearest neighbours of a vector
 * ({@link KnnFloatVectorQuery}, HNSW, pre-filtered by metadata: {@link MetadataSearch#chunkFilter}) and BM25 over the chunks' words
 * (Lucene's {@code BM25Similarity}, the searcher's default, on the {@value LuceneFields#WORDS} field
 * analysed like at indexing time by Lucene's {@link StandardAnalyzer}). Blocking: run it on the
 * index's workers.
 */
final class LuceneSearch {

    /** The analyzer of {@code new IndexWriterConfig()}, which the writer indexes the words with. */
    private static final Analyzer ANALYZER = new StandardAnalyzer();

    private LuceneSearch() {
    }

    /** The {@code k} chunks nearest to {@code vector} among those whose metadata meets every filter, best first. */
    static List<SearchHit> nearest(IndexSearcher searcher, float[] vector, int k, List<MetadataFilter> filters)
            throws IOException {
        Query filter = MetadataSearch.chunkFilter(filters);
        TopDocs top = searcher.search(new KnnFloatVectorQuery(LuceneFields.VECTOR, vector, k, filter), k);
        return hits(searcher, top, LuceneFields::toHit);
    }

    /**
     * The {@code k} chunks whose words best match {@code text} (BM25; any of the words may match, more
     * and rarer ones score higher), among those whose metadata meets every filter, best first; the
     * score is the BM25 score. A text with no word the analyzer keeps matches nothing. Errs when no chunk
     * of a non-empty index has its words indexed: an index written before keyword search existed, to be
     * ingested again.
     */
    static Result<List<SearchHit>> keyword(IndexSearcher searcher, String text, int k, List<MetadataFilter> filters,
                                           String where)
            throws IOException {
        if (searcher.getIndexReader().numDocs() > 0 && searcher.getIndexReader().getDocCount(LuceneFields.WORDS) == 0) {
            return Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, "the index at " + where + " was written before "
                    + "keyword search existed: its chunks' words are not indexed, so keyword and hybrid mode find "
                    + "nothing; ingest its documents again (into the same index: chunks are replaced by id) to search "
                    + "them by keyword, or use vector mode"));
        }
        Query words = new QueryBuilder(ANALYZER).createBooleanQuery(LuceneFields.WORDS, text, BooleanClause.Occur.SHOULD);
        if (words == null) {
            return Result.ok(List.of());
        }
        Query filter = MetadataSearch.chunkFilter(filters);
        Query query = filter == null ? words : new BooleanQuery.Builder()
                .add(words, BooleanClause.Occur.MUST).add(filter, BooleanClause.Occur.FILTER).build();
        TopDocs top = searcher.search(query, k);
        return Result.ok(hits(searcher, top, LuceneFields::toKeywordHit));
    }

    /** The hits of {@code top}, their documents' metadata read once for all of them ({@link MetadataSearch#ofDocuments}). */
    private static List<SearchHit> hits(IndexSearcher searcher, TopDocs top, HitMaker maker) throws IOException {
        StoredFields stored = searcher.storedFields();
        List<Document> docs = new ArrayList<>(top.scoreDocs.length);
        List<String> docIds = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            Document doc = stored.document(hit.doc);
            docs.add(doc);
            docIds.add(doc.get(LuceneFields.DOC_ID));
        }
        Map<String, Map<String, String>> metadata = MetadataSearch.ofDocuments(searcher, docIds);
        List<SearchHit> hits = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            hits.add(maker.hit(docs.get(i), top.scoreDocs[i].score, metadata.getOrDefault(docIds.get(i), Map.of())));
        }
        return List.copyOf(hits);
    }

    @FunctionalInterface
    private interface HitMaker {
        SearchHit hit(Document doc, float score, Map<String, String> documentMetadata);
    }
}
