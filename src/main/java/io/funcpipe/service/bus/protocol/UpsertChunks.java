package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.funcpipe.rag.EmbeddedChunk;

/**
 * Request to {@code funcpipe.stage.index}: insert or replace the chunks by id (re-sending never
 * duplicates). Answered with {@link IndexAck} (the number written) or {@link StageFailure}.
 */
public record UpsertChunks(IndexTarget target, List<EmbeddedChunk> chunks) implements BusMessage {

    public UpsertChunks {
        requireNonNull(target, "target");
        chunks = List.copyOf(chunks);
    }

    @Override
    public void writeTo(WireWriter out) {
        target.writeTo(out);
        out.list(chunks, RagWire::embeddedChunk);
    }

    public static UpsertChunks read(WireReader in) {
        return new UpsertChunks(IndexTarget.read(in), in.list(RagWire::embeddedChunk));
    }
}
