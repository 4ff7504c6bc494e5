package io.funcpipe.rag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of reciprocal rank fusion over generated rankings of chunk ids. */
@Label("RankFusion properties")
class RankFusionProperties {

    @Property(tries = 300)
    @Label("the fused hits are distinct chunks of the rankings, at most k, scores never rising")
    void distinctBoundedOrdered(@ForAll("rankings") List<List<SearchHit>> rankings, @ForAll @IntRange(min = 1, max = 40) int k) {
        List<SearchHit> fused = RankFusion.fuse(rankings, k);
        Set<String> all = new HashSet<>();
        rankings.forEach(r -> r.forEach(h -> all.add(h.chunkId())));
        assertThat(fused).hasSize(Math.min(k, all.size()));
        assertThat(fused).extracting(SearchHit::chunkId).doesNotHaveDuplicates().allMatch(all::contains);
        for (int i = 1; i < fused.size(); i++) {
            assertThat(fused.get(i).score()).isLessThanOrEqualTo(fused.get(i - 1).score());
        }
    }

    @Property(tries = 300)
    @Label("a chunk's fused score is the sum of 1 / (60 + rank) over the rankings it is in")
    void scoreIsTheSumOfReciprocalRanks(@ForAll("rankings") List<List<SearchHit>> rankings) {
        List<SearchHit> fused = RankFusion.fuse(rankings, SearchQuery.MAX_K);
        for (SearchHit hit : fused) {
            double expected = 0;
            for (List<SearchHit> ranking : rankings) {
                for (int r = 0; r < ranking.size(); r++) {
                    if (ranking.get(r).chunkId().equals(hit.chunkId())) {
                        expected += 1.0 / (RankFusion.RANK_CONSTANT + r + 1);
                        break;
                    }
                }
            }
            assertThat((double) hit.score()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Property(tries = 200)
    @Label("the order of the rankings does not change the result")
    void rankingOrderDoesNotMatter(@ForAll("rankings") List<List<SearchHit>> rankings, @ForAll @IntRange(min = 1, max = 40) int k) {
        List<List<SearchHit>> reversed = new ArrayList<>(rankings);
        Collections.reverse(reversed);
        assertThat(RankFusion.fuse(reversed, k)).extracting(SearchHit::chunkId)
                .isEqualTo(RankFusion.fuse(rankings, k).stream().map(SearchHit::chunkId).toList());
    }

    @Property(tries = 200)
    @Label("a chunk ranked first by every ranking is first after fusion")
    void unanimousFirstStaysFirst(@ForAll("rankings") List<List<SearchHit>> rankings) {
        List<List<SearchHit>> withLeader = new ArrayList<>();
        for (List<SearchHit> ranking : rankings) {
            List<SearchHit> r = new ArrayList<>();
            r.add(hit("leader"));
            ranking.stream().filter(h -> !h.chunkId().equals("leader")).forEach(r::add);
            withLeader.add(r);
        }
        assertThat(RankFusion.fuse(withLeader, 5).getFirst().chunkId()).isEqualTo("leader");
    }

    @Property(tries = 100)
    @Label("fusing one ranking keeps its order")
    void oneRankingKeepsItsOrder(@ForAll("ranking") List<SearchHit> ranking) {
        assertThat(RankFusion.fuse(List.of(ranking), SearchQuery.MAX_K)).extracting(SearchHit::chunkId)
                .isEqualTo(ranking.stream().map(SearchHit::chunkId).toList());
    }

    @Provide
    Arbitrary<List<List<SearchHit>>> rankings() {
        return ranking().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<SearchHit>> ranking() {
        return Arbitraries.integers().between(0, 30).map(i -> hit("c" + i)).list().ofMaxSize(25).uniqueElements(SearchHit::chunkId);
    }

    private static SearchHit hit(String id) {
        return new SearchHit(id, "doc-" + id, "file:" + id, 0.5f, "text of " + id, Map.of());
    }
}
