package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.smallrye.common.annotation.CheckReturnValue;

/**
 * A query as a description, the same for {@code funcpipe query} and the service's search:
 * <ul>
 *   <li>{@link SearchMode#VECTOR}: embed the text with the index's model (with the prefix the model
 *       expects on queries, {@link Embedder#queryText}), or take the given vector, and search the
 *       index's nearest neighbours;</li>
 *   <li>{@link SearchMode#KEYWORD}: BM25 over the chunks' text ({@link VectorIndex#keyword});</li>
 *   <li>{@link SearchMode#HYBRID}: both, each for {@link #candidates(int)} chunks, fused by
 *       {@link RankFusion}.</li>
 * </ul>
 * The filters apply to each search; hits below {@link SearchQuery#minScore()} are dropped last.
 */
public final class QueryPlan {

    private QueryPlan() {
    }

    /** The {@code k} chunks closest to {@code text} (vector mode), best first. */
    @CheckReturnValue
    public static AsyncPlan<List<SearchHit>> describe(Embedder embedder, VectorIndex index, String text, int k) {
        requireNonNull(text, "text");
        if (k < 1) {
            return AsyncPlan.failed(ErrInfo.of(ErrCode.INVALID_INPUT, "top k must be >= 1, got " + k));
        }
        if (text.isBlank()) {
            return AsyncPlan.failed(ErrInfo.of(ErrCode.INVALID_INPUT, "the query text is empty: give some words to search for"));
        }
        return describe(embedder, index, SearchQuery.text(text, Math.min(k, SearchQuery.MAX_K), SearchMode.VECTOR));
    }

    /** The hits of {@code query}, best first. */
    @CheckReturnValue
    public static AsyncPlan<List<SearchHit>> describe(Embedder embedder, VectorIndex index, SearchQuery query) {
        requireNonNull(embedder, "embedder");
        requireNonNull(index, "index");
        requireNonNull(query, "query");
        AsyncPlan<List<SearchHit>> hits = switch (query.mode()) {
            case VECTOR -> nearest(embedder, index, query, query.k());
            case KEYWORD -> index.keyword(query.text().orElseThrow(), query.k(), query.filters());
            case HYBRID -> {
                int n = candidates(query.k());
                yield nearest(embedder, index, query, n).flatMap(byVector ->
                        index.keyword(query.text().orElseThrow(), n, query.filters())
                                .map(byWords -> RankFusion.fuse(List.of(byVector, byWords), query.k())));
            }
        };
        return hits.map(found -> found.stream().filter(hit -> hit.score() >= query.minScore()).toList());
    }

    /** How many chunks hybrid mode takes from each ranking before fusing: {@code max(2k, 50)}. */
    public static int candidates(int k) {
        return Math.max(2 * k, 50);
    }

    private static AsyncPlan<List<SearchHit>> nearest(Embedder embedder, VectorIndex index, SearchQuery query, int n) {
        AsyncPlan<float[]> vector = query.vector().map(AsyncPlan::of).orElseGet(() -> embedder
                .embed(List.of(embedder.queryText(query.text().orElseThrow()))).map(List::getFirst));
        return vector.flatMap(v -> index.search(v, n, query.filters()));
    }
}
