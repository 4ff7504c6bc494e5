package io.funcpipe.adapters.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
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
import io.funcpipe.rag.SearchHit;

/**
 * The two searches of an index, over one {@link IndexSearcher}: nearest neighbours of a vector
 * ({@link KnnFloatVectorQuery}, HNSW, pre-filtered by metadata) and BM25 over the chunks' words
 * (Lucene's {@code BM25Similarity}, the searcher's default, on the {@value LuceneFields#WORDS} field
 * analysed like at indexing time by Lucene's {@link StandardAnalyzer}). Blocking: run it on the
 * index's workers.
 */
final class LuceneSearch {

    /** The analyzer of {@code new IndexWriterConfig()}, which the writer indexes the words with. */
    private static final Analyzer ANALYZER = new StandardAnalyzer();

    private LuceneSearch() {
    }

    /** The {@code k} chunks nearest to {@code vector} among those {@code filter} (null: all) lets through, best first. */
    static List<SearchHit> nearest(IndexSearcher searcher, float[] vector, int k, Query filter) throws IOException {
        TopDocs top = searcher.search(new KnnFloatVectorQuery(LuceneFields.VECTOR, vector, k, filter), k);
        List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            hits.add(LuceneFields.toHit(searcher.storedFields().document(hit.doc), hit.score));
        }
        return List.copyOf(hits);
    }

    /**
     * The {@code k} chunks whose words best match {@code text} (BM25; any of the words may match, more
     * and rarer ones score higher), among those {@code filter} (null: all) lets through, best first; the
     * score is the BM25 score. A text with no word the analyzer keeps matches nothing. Errs when no chunk
     * of a non-empty index has its words indexed: an index written before keyword search existed, to be
     * ingested again.
     */
    static Result<List<SearchHit>> keyword(IndexSearcher searcher, String text, int k, Query filter, String where)
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
        Query query = filter == null ? words : new BooleanQuery.Builder()
                .add(words, BooleanClause.Occur.MUST).add(filter, BooleanClause.Occur.FILTER).build();
        TopDocs top = searcher.search(query, k);
        List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            hits.add(LuceneFields.toKeywordHit(searcher.storedFields().document(hit.doc), hit.score));
        }
        return Result.ok(List.copyOf(hits));
    }
}
