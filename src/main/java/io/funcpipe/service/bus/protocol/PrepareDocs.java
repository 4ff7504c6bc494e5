package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.funcpipe.rag.RawDoc;
import io.funcpipe.rag.chunk.ChunkerOptions;

/**
 * Request to {@code funcpipe.stage.clean}: clean and chunk each document, with the job's chunking
 * options and the node's tokenizer. Answered with {@link PreparedDocs}.
 */
public record PrepareDocs(List<RawDoc> docs, ChunkerOptions chunking) implements BusMessage {

    public PrepareDocs {
        docs = List.copyOf(docs);
        requireNonNull(chunking, "chunking");
    }

    @Override
    public void writeTo(WireWriter out) {
        out.list(docs, RagWire::rawDoc);
        RagWire.chunkerOptions(out, chunking);
    }

    public static PrepareDocs read(WireReader in) {
        return new PrepareDocs(in.list(RagWire::rawDoc), RagWire.chunkerOptions(in));
    }
}
