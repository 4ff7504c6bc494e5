package io.funcpipe.adapters.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

import io.funcpipe.rag.MetadataFilter;

/**
 * Metadata reads over one {@link IndexSearcher}, against the layout of {@link MetadataFields}:
 * which chunks a set of filters lets through (their documents' metadata documents are searched
 * first, then the chunks restricted to those document ids), and the metadata of the documents of
 * a page of hits (one query for all of them). Blocking: run it on the index's workers.
 */
final class MetadataSearch {

    private MetadataSearch() {
    }

    /**
     * The filter on chunks for {@code filters}, or null (no filter) for none: the chunks of the
     * documents whose metadata document meets every filter, or (an index written before metadata
     * moved out of the chunks) chunks whose own {@code meta.*} fields meet them. When no metadata
     * document matches, only the second half remains, which on today's layout matches nothing.
     * Metadata documents themselves may match it; they have no vector and no words, so no search
     * returns them.
     */
    static Query chunkFilter(IndexSearcher searcher, List<MetadataFilter> filters) throws IOException {
        if (filters.isEmpty()) {
            return null;
        }
        Query conditions = MetadataFields.conditions(filters);
        Set<BytesRef> ids = matchingDocuments(searcher, conditions);
        if (ids.isEmpty()) {
            return conditions;
        }
        return new BooleanQuery.Builder()
                .add(conditions, BooleanClause.Occur.SHOULD)
                .add(new TermInSetQuery(LuceneFields.DOC_ID, ids), BooleanClause.Occur.SHOULD)
                .build();
    }

    /** The ids of the live metadata documents that meet {@code conditions}, read from their doc values. */
    private static Set<BytesRef> matchingDocuments(IndexSearcher searcher, Query conditions) throws IOException {
        Query query = new BooleanQuery.Builder()
                .add(MetadataFields.documents(), BooleanClause.Occur.FILTER)
                .add(conditions, BooleanClause.Occur.FILTER)
                .build();
        Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1);
        Set<BytesRef> ids = new HashSet<>();
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            SortedSetDocValues values = DocValues.getSortedSet(leaf.reader(), MetadataFields.DOC);
            Bits live = leaf.reader().getLiveDocs();
            DocIdSetIterator it = scorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if ((live == null || live.get(doc)) && values.advanceExact(doc)) {
                    ids.add(BytesRef.deepCopyOf(values.lookupOrd(values.nextOrd())));
                }
            }
        }
        return ids;
    }

    /** The metadata of those of {@code docIds} that have a metadata document, by document id; one query. */
    static Map<String, Map<String, String>> ofDocuments(IndexSearcher searcher, Collection<String> docIds)
            throws IOException {
        Set<String> distinct = new LinkedHashSet<>(docIds);
        if (distinct.isEmpty()) {
            return Map.of();
        }
        List<BytesRef> terms = new ArrayList<>(distinct.size());
        for (String id : distinct) {
            terms.add(new BytesRef(id));
        }
        ScoreDoc[] found = searcher.search(new TermInSetQuery(MetadataFields.DOC, terms), distinct.size()).scoreDocs;
        StoredFields stored = searcher.storedFields();
        Map<String, Map<String, String>> metadata = new HashMap<>();
        for (ScoreDoc hit : found) {
            Document doc = stored.document(hit.doc);
            metadata.put(doc.get(LuceneFields.DOC_ID), MetadataFields.read(doc));
        }
        return metadata;
    }
}
