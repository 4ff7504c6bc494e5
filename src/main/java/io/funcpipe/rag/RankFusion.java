package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Buettcher, 2009): each ranking gives a chunk at rank r
 * (1 = best) the score {@code 1 / (}{@value #RANK_CONSTANT}{@code  + r)}; a chunk's fused score is the
 * sum over the rankings it appears in. Only ranks count, so rankings whose scores are on different
 * scales (cosine similarities, BM25) fuse without normalising. Pure.
 */
public final class RankFusion {

    /** The constant of the original paper: damps the weight of the very first ranks. */
    public static final int RANK_CONSTANT = 60;

    private RankFusion() {
    }

    /**
     * The best {@code k} chunks of the fused rankings, best first, each hit as its first ranking
     * gave it with its fused score. A chunk is identified by its chunk id; a chunk repeated within one
     * ranking counts at its best rank there. Ties are broken by the best rank a chunk has in any
     * ranking, then by chunk id, so the result does not depend on hash order.
     */
    public static List<SearchHit> fuse(List<List<SearchHit>> rankings, int k) {
        requireNonNull(rankings, "rankings");
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        Map<String, Fused> fused = new LinkedHashMap<>();
        for (List<SearchHit> ranking : rankings) {
            requireNonNull(ranking, "a ranking");
            Map<String, Boolean> seen = new LinkedHashMap<>();
            int rank = 0;
            for (SearchHit hit : ranking) {
                rank++;
                if (seen.putIfAbsent(hit.chunkId(), true) != null) {
                    continue;
                }
                int r = rank;
                fused.compute(hit.chunkId(), (id, f) -> f == null
                        ? new Fused(hit, 1.0 / (RANK_CONSTANT + r), r)
                        : new Fused(f.hit, f.score + 1.0 / (RANK_CONSTANT + r), Math.min(f.bestRank, r)));
            }
        }
        List<Fused> ordered = new ArrayList<>(fused.values());
        ordered.sort(Comparator.comparingDouble(Fused::score).reversed()
                .thenComparingInt(Fused::bestRank)
                .thenComparing(f -> f.hit.chunkId()));
        return ordered.stream().limit(k).map(f -> new SearchHit(f.hit.chunkId(), f.hit.docId(), f.hit.location(),
                (float) f.score, f.hit.text(), f.hit.metadata())).toList();
    }

    private record Fused(SearchHit hit, double score, int bestRank) {
    }
}
