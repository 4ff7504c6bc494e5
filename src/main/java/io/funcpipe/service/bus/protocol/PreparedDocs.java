package io.funcpipe.service.bus.protocol;

import java.util.List;

import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;

/**
 * Reply to {@link PrepareDocs}: one result per document, in order: its chunks, or an {@code Err}
 * tagged with the stage that refused it ({@code clean} or {@code chunk}).
 */
public record PreparedDocs(List<Result<List<Chunk>>> results) implements BusMessage {

    public PreparedDocs {
        results = List.copyOf(results);
    }

    @Override
    public void writeTo(WireWriter out) {
        out.list(results, (w, r) -> w.result(r, (w2, chunks) -> w2.list(chunks, RagWire::chunk)));
    }

    public static PreparedDocs read(WireReader in) {
        return new PreparedDocs(in.list(r -> r.result(r2 -> List.copyOf(r2.list(RagWire::chunk)))));
    }
}
