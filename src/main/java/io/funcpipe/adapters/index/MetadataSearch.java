package io.funcpipe.adapters.index;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;

import io.funcpipe.rag.MetadataFilter;

/**
 * Metadata reads against the layout of {@link MetadataFields}: the chunk filter of a set of
 * conditions, and the metadata of the documents of a page of hits (one query over one
 * {@link IndexSearcher} for all of them; blocking: run it on the index's workers).
 */
final class MetadataSearch {

    private MetadataSearch() {
    }

    /** The filter on chunks for {@code filters} (their indexed metadata fields, either layout), or null (no filter) for none. */
    static Query chunkFilter(List<MetadataFilter> filters) {
        return filters.isEmpty() ? null : MetadataFields.conditions(filters);
    }

    /**
     * The metadata of those of {@code docIds} that have a metadata document, by document id: each
     * id's term looked up in every segment's terms (a hit page holds a few ids, so this beats a query).
     */
    static Map<String, Map<String, String>> ofDocuments(IndexSearcher searcher, Collection<String> docIds)
            throws IOException {
        Set<String> wanted = new LinkedHashSet<>(docIds);
        Map<String, Map<String, String>> metadata = new HashMap<>();
        PostingsEnum postings = null;
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            if (metadata.size() == wanted.size()) {
                break;
            }
            Terms terms = leaf.reader().terms(MetadataFields.DOC);
            if (terms == null) {
                continue;
            }
            TermsEnum ids = terms.iterator();
            Bits live = leaf.reader().getLiveDocs();
            StoredFields stored = null;
            for (String id : wanted) {
                if (metadata.containsKey(id) || !ids.seekExact(new BytesRef(id))) {
                    continue;
                }
                postings = ids.postings(postings, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        stored = stored == null ? leaf.reader().storedFields() : stored;
                        metadata.put(id, MetadataFields.read(stored.document(doc)));
                        break;
                    }
                }
            }
        }
        return metadata;
    }
}
