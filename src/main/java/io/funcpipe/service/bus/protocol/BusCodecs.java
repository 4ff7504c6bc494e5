package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.vertx.core.eventbus.EventBus;

/**
 * The codecs of every {@link BusMessage} type. {@link #register} makes each the default codec of
 * its type on an event bus, so {@code send}/{@code request}/{@code reply} need no codec name.
 * Every node of a cluster must register them (a node decodes a message by its codec's name).
 */
public final class BusCodecs {

    /** One codec per message type. */
    public static final List<BusCodec<?>> ALL = List.of(
            new BusCodec<>(OpenSource.class, OpenSource::read),
            new BusCodec<>(SourceOpened.class, SourceOpened::read),
            new BusCodec<>(NextDocs.class, NextDocs::read),
            new BusCodec<>(CloseSource.class, CloseSource::read),
            new BusCodec<>(DocBatch.class, DocBatch::read),
            new BusCodec<>(PrepareDocs.class, PrepareDocs::read),
            new BusCodec<>(PreparedDocs.class, PreparedDocs::read),
            new BusCodec<>(EmbedTexts.class, EmbedTexts::read),
            new BusCodec<>(Vectors.class, Vectors::read),
            new BusCodec<>(UpsertChunks.class, UpsertChunks::read),
            new BusCodec<>(CommitIndex.class, CommitIndex::read),
            new BusCodec<>(ReadCheckpoint.class, ReadCheckpoint::read),
            new BusCodec<>(IndexCheckpoint.class, IndexCheckpoint::read),
            new BusCodec<>(IndexAck.class, IndexAck::read),
            new BusCodec<>(StageFailure.class, StageFailure::read),
            new BusCodec<>(WriteDocuments.class, WriteDocuments::read),
            new BusCodec<>(ReadDocuments.class, ReadDocuments::read),
            new BusCodec<>(DocumentRecords.class, DocumentRecords::read),
            new BusCodec<>(ReadVectors.class, ReadVectors::read),
            new BusCodec<>(StoredVectors.class, StoredVectors::read),
            new BusCodec<>(DeleteDocuments.class, DeleteDocuments::read),
            new BusCodec<>(IndexDeletion.class, IndexDeletion::read));

    private static final Object LOCK = new Object();

    private BusCodecs() {
    }

    /**
     * Registers every codec as the default codec of its type on {@code bus}. Idempotent: a type
     * that already has its FuncPipe codec is left as it is (stage hosts and clients in one JVM
     * share one event bus and may both call this).
     *
     * @throws IllegalStateException if another codec already claims one of the types or names
     */
    public static void register(EventBus bus) {
        requireNonNull(bus, "bus");
        synchronized (LOCK) {
            for (BusCodec<?> codec : ALL) {
                registerOne(bus, codec);
            }
        }
    }

    /** The codec of {@code type}. */
    @SuppressWarnings("unchecked")
    public static <T extends BusMessage> BusCodec<T> of(Class<T> type) {
        for (BusCodec<?> codec : ALL) {
            if (codec.type() == type) {
                return (BusCodec<T>) codec;
            }
        }
        throw new IllegalArgumentException("no codec for " + type.getName() + ": add it to BusCodecs.ALL");
    }

    private static <T extends BusMessage> void registerOne(EventBus bus, BusCodec<T> codec) {
        try {
            bus.registerDefaultCodec(codec.type(), codec);
        } catch (IllegalStateException alreadyRegistered) {
            // Vert.x has no lookup for default codecs; it refuses a second one for a type or a name. If
            // the codec of that name is ours (ours are stateless and equal by name), all is well.
            if (!alreadyOurs(bus, codec)) {
                throw new IllegalStateException("cannot register the FuncPipe codec " + codec.name() + " for "
                        + codec.type().getName() + ": " + alreadyRegistered.getMessage()
                        + "; another codec claims that type or name on this event bus", alreadyRegistered);
            }
        }
    }

    private static boolean alreadyOurs(EventBus bus, BusCodec<?> codec) {
        try {
            bus.registerCodec(codec);
        } catch (IllegalStateException nameTaken) {
            return true;
        }
        // The name was free, so the type's default codec is someone else's: undo our registration.
        bus.unregisterCodec(codec.name());
        return false;
    }
}
