package io.funcpipe.rag;

import java.util.List;

import io.funcpipe.core.AsyncPlan;

/** Port: a vector index that upserts by chunk id and answers nearest-neighbour queries. */
public interface VectorIndex extends AutoCloseable {

    /** Inserts or replaces the chunks by id; re-sending the same chunks never duplicates. */
    AsyncPlan<Integer> upsert(List<EmbeddedChunk> chunks);

    /** Makes everything upserted so far durable. */
    AsyncPlan<Long> commit();

    /** The {@code k} chunks closest to {@code vector}, best first. */
    AsyncPlan<List<SearchHit>> search(float[] vector, int k);

    /** How many chunks the index holds (committed or not). */
    long count();

    @Override
    void close();
}
