package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

import io.funcpipe.adapters.index.CheckpointJson;
import io.funcpipe.rag.Checkpoint;

import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.rag.Stage;
import io.funcpipe.service.bus.protocol.CommitIndex;
import io.funcpipe.service.bus.protocol.IndexAck;
import io.funcpipe.service.bus.protocol.IndexCheckpoint;
import io.funcpipe.service.bus.protocol.ReadCheckpoint;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.funcpipe.service.bus.protocol.UpsertChunks;
import io.funcpipe.service.bus.protocol.DeleteDocuments;
import io.funcpipe.service.bus.protocol.DocumentRecords;
import io.funcpipe.service.bus.protocol.IndexDeletion;
import io.funcpipe.service.bus.protocol.ReadDocuments;
import io.funcpipe.service.bus.protocol.ReadVectors;
import io.funcpipe.service.bus.protocol.StoredVectors;
import io.funcpipe.service.bus.protocol.WriteDocuments;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * The index stage at {@link StageAddress#INDEX}: {@link UpsertChunks} and {@link CommitIndex} on
 * the indexes of the node's {@link IndexRegistry}, each request on a lease of its index (released
 * when its operation ends, so the registry never closes an index under a request). Lucene's blocking
 * calls run on each index's own threads, opening an index on a Vert.x worker: the event loop never waits. Upserts replace by
 * chunk id, so a retried request never duplicates.
 */
final class IndexStage extends VerticleBase {

    private final IndexRegistry registry;
    private MessageConsumer<Object> consumer;

    IndexStage(IndexRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
    }

    @Override
    public Future<?> start() {
        registry.retain();
        consumer = vertx.eventBus().consumer(StageAddress.INDEX, this::onMessage);
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        return Future.join(consumer.unregister(), registry.release());
    }

    private void onMessage(Message<Object> message) {
        StageReplies.guarded(StageAddress.INDEX, message, m -> {
            switch (m.body()) {
                case UpsertChunks upsert -> run(m, upsert.target(),
                        index -> index.upsert(upsert.chunks()).map(Integer::longValue));
                case CommitIndex commit when commit.checkpoint().isEmpty() -> run(m, commit.target(),
                        LuceneVectorIndex::commit);
                case CommitIndex commit -> {
                    Checkpoint checkpoint = CheckpointJson.read(commit.checkpoint()).orElse(null);
                    if (checkpoint == null) {
                        StageReplies.fail(m, ErrInfo.of(ErrCode.INVALID_INPUT, "the checkpoint sent to commit the index '"
                                + commit.target().name() + "' is not a checkpoint: " + commit.checkpoint())
                                .withStage(Stage.INDEX.label()));
                    } else {
                        run(m, commit.target(), index -> index.commit(checkpoint));
                    }
                }
                case ReadCheckpoint read -> run(m, read.target(), index -> index.checkpoint(read.key()),
                        found -> new IndexCheckpoint(found.map(CheckpointJson::write).orElse("")));
                case WriteDocuments write -> run(m, write.target(),
                        index -> index.write(write.docs(), write.replace()).map(Integer::longValue));
                case ReadDocuments read -> run(m, read.target(), index -> index.documents(read.ids()),
                        found -> new DocumentRecords(List.copyOf(found.values())));
                case ReadVectors read -> run(m, read.target(), index -> index.vectors(read.textHashes()),
                        StoredVectors::of);
                case DeleteDocuments delete when delete.roots().isEmpty() -> run(m, delete.target(),
                        index -> index.delete(delete.ids()), IndexDeletion::new);
                case DeleteDocuments delete -> run(m, delete.target(),
                        index -> index.deleteUnseen(delete.roots(), java.util.Set.copyOf(delete.seen())), IndexDeletion::new);
                case null, default -> StageReplies.fail(m, StageReplies.unexpected(StageAddress.INDEX, m.body(),
                        "UpsertChunks, CommitIndex, ReadCheckpoint, WriteDocuments, ReadDocuments, ReadVectors or DeleteDocuments"));
            }
        });
    }

    private void run(Message<Object> message, IndexTarget target, Function<LuceneVectorIndex, AsyncPlan<Long>> op) {
        run(message, target, op, IndexAck::new);
    }

    private <T> void run(Message<Object> message, IndexTarget target, Function<LuceneVectorIndex, AsyncPlan<T>> op,
                         Function<? super T, ? extends io.funcpipe.service.bus.protocol.BusMessage> reply) {
        registry.index(target).onComplete(opened -> {
            if (opened.failed()) {
                StageReplies.fail(message, ErrInfo.fromException(ErrCode.INDEX_FAILED, opened.cause())
                        .withMessage("opening the index '" + target.name() + "' failed: " + opened.cause())
                        .withStage(Stage.INDEX.label()));
                return;
            }
            switch (opened.result()) {
                case Ok<IndexLease>(IndexLease lease) -> lease.run(op).subscribe().with(
                        done -> StageReplies.reply(message, done, reply),
                        failure -> StageReplies.fail(message, ErrInfo.fromException(ErrCode.INDEX_FAILED,
                                failure).withStage(Stage.INDEX.label())));
                case Err<IndexLease>(ErrInfo error) -> StageReplies.fail(message, error);
            }
        });
    }
}
