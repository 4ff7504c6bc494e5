package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.funcpipe.adapters.index.CheckpointJson;
import io.funcpipe.rag.Checkpoint;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.rag.Deletion;
import io.funcpipe.rag.DocumentRecord;
import io.funcpipe.rag.DocumentWrite;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.SearchHit;
import io.funcpipe.rag.VectorIndex;
import io.funcpipe.service.bus.protocol.CommitIndex;
import io.funcpipe.service.bus.protocol.DeleteDocuments;
import io.funcpipe.service.bus.protocol.DocumentRecords;
import io.funcpipe.service.bus.protocol.IndexDeletion;
import io.funcpipe.service.bus.protocol.ReadDocuments;
import io.funcpipe.service.bus.protocol.ReadVectors;
import io.funcpipe.service.bus.protocol.StoredVectors;
import io.funcpipe.service.bus.protocol.WriteDocuments;
import io.funcpipe.service.bus.protocol.IndexAck;
import io.funcpipe.service.bus.protocol.IndexCheckpoint;
import io.funcpipe.service.bus.protocol.ReadCheckpoint;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.funcpipe.service.bus.protocol.UpsertChunks;

/**
 * {@link VectorIndex} over the index stage: upserts and commits on the index the job names, on
 * whichever node hosts the index stage. Upserts replace by chunk id, so a request retried after a
 * timeout never duplicates. Searching is done where the index lives, not over the bus.
 */
final class BusIndex implements VectorIndex {

    private final StageClient client;
    private final IndexTarget target;

    BusIndex(StageClient client, IndexTarget target) {
        this.client = requireNonNull(client, "client");
        this.target = requireNonNull(target, "target");
    }

    /** The index written, with the model its vectors come from. */
    IndexTarget target() {
        return target;
    }

    @Override
    public AsyncPlan<Integer> upsert(List<EmbeddedChunk> chunks) {
        return client.call(StageAddress.INDEX, new UpsertChunks(target, chunks), IndexAck.class)
                .map(ack -> Math.toIntExact(ack.value()));
    }

    @Override
    public AsyncPlan<Integer> write(List<DocumentWrite> docs, boolean replace) {
        return client.call(StageAddress.INDEX, new WriteDocuments(target, docs, replace), IndexAck.class)
                .map(ack -> Math.toIntExact(ack.value()));
    }

    @Override
    public AsyncPlan<Map<String, DocumentRecord>> documents(Collection<String> ids) {
        return client.call(StageAddress.INDEX, new ReadDocuments(target, List.copyOf(ids)), DocumentRecords.class)
                .map(DocumentRecords::byId);
    }

    @Override
    public AsyncPlan<Map<String, float[]>> vectors(Collection<String> textHashes) {
        return client.call(StageAddress.INDEX, new ReadVectors(target, List.copyOf(textHashes)), StoredVectors.class)
                .map(StoredVectors::byHash);
    }

    @Override
    public AsyncPlan<Deletion> delete(Collection<String> ids) {
        return client.call(StageAddress.INDEX, new DeleteDocuments(target, List.copyOf(ids), List.of(), List.of()),
                IndexDeletion.class).map(IndexDeletion::deletion);
    }

    @Override
    public AsyncPlan<Deletion> deleteUnseen(Collection<String> roots, Set<String> seen) {
        return client.call(StageAddress.INDEX, new DeleteDocuments(target, List.of(), List.copyOf(roots),
                List.copyOf(seen)), IndexDeletion.class).map(IndexDeletion::deletion);
    }

    @Override
    public AsyncPlan<Long> commit(Checkpoint checkpoint) {
        return client.call(StageAddress.INDEX, new CommitIndex(target, CheckpointJson.write(checkpoint)), IndexAck.class)
                .map(IndexAck::value);
    }

    @Override
    public AsyncPlan<Optional<Checkpoint>> checkpoint(String key) {
        return client.call(StageAddress.INDEX, new ReadCheckpoint(target, key), IndexCheckpoint.class)
                .map(found -> found.checkpoint().isEmpty() ? Optional.empty() : CheckpointJson.read(found.checkpoint()));
    }

    /** An {@code INVALID_INPUT} error: queries run on the index node ({@code LuceneVectorIndex.openReadOnly} + {@code QueryPlan}). */
    @Override
    public AsyncPlan<List<SearchHit>> search(float[] vector, int k) {
        return AsyncPlan.failed(ErrInfo.of(ErrCode.INVALID_INPUT, "the index '" + target.name() + "' is written over "
                + "the event bus and not searched through it: query it where it lives, with "
                + "LuceneVectorIndex.openReadOnly(<index root>/" + target.name() + ") and QueryPlan"));
    }

    /**
     * Not available: counting would block on a remote call.
     *
     * @throws UnsupportedOperationException always, naming where to count instead
     */
    @Override
    public long count() {
        throw new UnsupportedOperationException("the index '" + target.name() + "' lives on the index node: count "
                + "its chunks there (LuceneVectorIndex.count()), or sum the IngestReport's chunksIndexed");
    }

    /** Nothing to release here: the index stage owns the index and commits it when it closes it. */
    @Override
    public void close() {
    }
}
