package io.funcpipe.rag;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;

/** Port: a vector index that upserts by chunk id and answers nearest-neighbour queries. */
public interface VectorIndex extends AutoCloseable {

    /** Inserts or replaces the chunks by id; re-sending the same chunks never duplicates. */
    AsyncPlan<Integer> upsert(List<EmbeddedChunk> chunks);

    /**
     * Writes each document whole: its chunks and its {@link DocumentRecord}. With {@code replace},
     * everything the index held under the document's id (its earlier chunks and record) goes in the
     * same atomic step, so that no commit and no reader ever sees both versions, or neither; without,
     * chunks are upserted by id and the record replaced. The result is the number of chunks written.
     */
    AsyncPlan<Integer> write(List<DocumentWrite> docs, boolean replace);

    /** The records of those of {@code ids} the index holds (as of its last commit at least), by id. */
    AsyncPlan<Map<String, DocumentRecord>> documents(Collection<String> ids);

    /**
     * The stored vectors of chunks whose text hash ({@link ContentHash#ofText}) is one of
     * {@code textHashes}, by hash; hashes no chunk has are left out.
     */
    AsyncPlan<Map<String, float[]>> vectors(Collection<String> textHashes);

    /** Deletes the documents {@code ids} (chunks and records; ids the index does not hold are ignored). */
    AsyncPlan<Deletion> delete(Collection<String> ids);

    /** Deletes the documents read under one of {@code roots} whose id is not in {@code seen}. */
    AsyncPlan<Deletion> deleteUnseen(Collection<String> roots, Set<String> seen);

    /**
     * Makes everything upserted so far durable, together with {@code checkpoint} (which replaces
     * the earlier checkpoint of the same run, {@link Checkpoint#key()}): after a crash the index
     * holds the data of its last commit and the checkpoints committed with it, never one without
     * the other.
     */
    AsyncPlan<Long> commit(Checkpoint checkpoint);

    /** The checkpoint of run {@code key} in the last commit, if that run ever committed one. */
    AsyncPlan<Optional<Checkpoint>> checkpoint(String key);

    /** The {@code k} chunks closest to {@code vector}, best first. */
    AsyncPlan<List<SearchHit>> search(float[] vector, int k);

    /**
     * The {@code k} chunks closest to {@code vector} among those whose metadata meets every filter,
     * best first. An index that cannot filter answers an {@code INVALID_INPUT} error when filters are given.
     */
    default AsyncPlan<List<SearchHit>> search(float[] vector, int k, List<MetadataFilter> filters) {
        if (filters.isEmpty()) {
            return search(vector, k);
        }
        return AsyncPlan.failed(ErrInfo.of(ErrCode.INVALID_INPUT, "this index (" + getClass().getSimpleName()
                + ") cannot filter by metadata"));
    }

    /**
     * The {@code k} chunks whose text best matches the words of {@code text} (BM25), among those whose
     * metadata meets every filter, best first. An index that cannot search by keyword answers an
     * {@code INVALID_INPUT} error.
     */
    default AsyncPlan<List<SearchHit>> keyword(String text, int k, List<MetadataFilter> filters) {
        return AsyncPlan.failed(ErrInfo.of(ErrCode.INVALID_INPUT, "this index (" + getClass().getSimpleName()
                + ") cannot search by keyword: use vector mode"));
    }

    /** How many chunks the index holds (committed or not). */
    long count();

    @Override
    void close();
}
