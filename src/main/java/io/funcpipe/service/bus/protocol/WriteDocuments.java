package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.funcpipe.rag.DocumentWrite;

/**
 * Request to {@code funcpipe.stage.index}: write each document whole with its record, replacing
 * what its id held in the same atomic step when {@code replace} ({@code VectorIndex.write}; re-sending
 * never duplicates). Answered with {@link IndexAck} (the chunks written) or {@link StageFailure}.
 */
public record WriteDocuments(IndexTarget target, List<DocumentWrite> docs, boolean replace) implements BusMessage {

    public WriteDocuments {
        requireNonNull(target, "target");
        docs = List.copyOf(docs);
    }

    @Override
    public void writeTo(WireWriter out) {
        target.writeTo(out);
        out.list(docs, RagWire::documentWrite);
        out.bool(replace);
    }

    public static WriteDocuments read(WireReader in) {
        return new WriteDocuments(IndexTarget.read(in), in.list(RagWire::documentWrite), in.bool());
    }
}
