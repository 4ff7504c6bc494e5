package io.funcpipe.service.bus.protocol;

import java.util.List;

import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;

/**
 * Reply to {@link NextDocs} (and to {@link CloseSource}): up to {@code max} documents in reading
 * order, each an {@code Ok} or an {@code Err} naming file and line; fewer only at the end.
 *
 * @param seq        the number of the request this answers (0 for the answer to a close)
 * @param docs       the documents
 * @param end        whether the source has no more documents (its files are then closed)
 * @param bytesRead  input bytes the session has read so far
 * @param totalBytes the inputs' total size, or -1 when unknown
 */
public record DocBatch(long seq, List<Result<RawDoc>> docs, boolean end, long bytesRead, long totalBytes)
        implements BusMessage {

    public DocBatch {
        docs = List.copyOf(docs);
    }

    @Override
    public void writeTo(WireWriter out) {
        out.int64(seq).list(docs, (w, r) -> w.result(r, RagWire::rawDoc)).bool(end).int64(bytesRead).int64(totalBytes);
    }

    public static DocBatch read(WireReader in) {
        return new DocBatch(in.int64(), in.list(r -> r.result(RagWire::rawDoc)), in.bool(), in.int64(), in.int64());
    }
}
