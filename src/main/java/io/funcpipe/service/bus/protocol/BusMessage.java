package io.funcpipe.service.bus.protocol;

/**
 * A message of the stage protocol (see {@code docs/architecture.md}, "Stages over the event bus").
 * Each type has its own default codec ({@link BusCodecs#register}): inside one JVM the object
 * itself is delivered, across nodes its {@link #writeTo binary form}.
 */
public sealed interface BusMessage
        permits OpenSource, SourceOpened, NextDocs, CloseSource, DocBatch, PrepareDocs, PreparedDocs, EmbedTexts,
        Vectors, UpsertChunks, CommitIndex, ReadCheckpoint, IndexCheckpoint, IndexAck, StageFailure, WriteDocuments,
        ReadDocuments, DocumentRecords, ReadVectors, StoredVectors, DeleteDocuments, IndexDeletion {

    /** Appends this message's fields in the form its type's {@code read} method reads. */
    void writeTo(WireWriter out);
}
