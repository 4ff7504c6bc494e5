package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.smallrye.common.annotation.CheckReturnValue;

/**
 * A query as a description: embed the text with the index's model (with the prefix the model
 * expects on queries, {@link Embedder#queryText}), then search the index.
 */
public final class QueryPlan {

    private QueryPlan() {
    }

    /** The {@code k} chunks closest to {@code text}, best first. */
    @CheckReturnValue
    public static AsyncPlan<List<SearchHit>> describe(Embedder embedder, VectorIndex index, String text, int k) {
        return describe(embedder, index, text, k, List.of());
    }

    /** The {@code k} chunks closest to {@code text} among those whose metadata meets every filter, best first. */
    @CheckReturnValue
    public static AsyncPlan<List<SearchHit>> describe(Embedder embedder, VectorIndex index, String text, int k,
                                                      List<MetadataFilter> filters) {
        requireNonNull(filters, "filters");
        List<MetadataFilter> conditions = List.copyOf(filters);
        requireNonNull(embedder, "embedder");
        requireNonNull(index, "index");
        requireNonNull(text, "text");
        if (k < 1) {
            return AsyncPlan.failed(ErrInfo.of(ErrCode.INVALID_INPUT, "top k must be >= 1, got " + k));
        }
        if (text.isBlank()) {
            return AsyncPlan.failed(ErrInfo.of(ErrCode.INVALID_INPUT, "the query text is empty: give some words to search for"));
        }
        return embedder.embed(List.of(embedder.queryText(text))).flatMap(vectors -> index.search(vectors.getFirst(), k, conditions));
    }
}
