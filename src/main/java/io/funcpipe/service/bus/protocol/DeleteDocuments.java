package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Request to {@code funcpipe.stage.index}: with no {@code roots}, delete the documents {@code ids};
 * with roots, delete the documents read under them whose id is not in {@code seen} (a full sync).
 * Answered with {@link IndexDeletion}.
 */
public record DeleteDocuments(IndexTarget target, List<String> ids, List<String> roots, List<String> seen)
        implements BusMessage {

    public DeleteDocuments {
        requireNonNull(target, "target");
        ids = List.copyOf(ids);
        roots = List.copyOf(roots);
        seen = List.copyOf(seen);
    }

    @Override
    public void writeTo(WireWriter out) {
        target.writeTo(out);
        out.strings(ids).strings(roots).strings(seen);
    }

    public static DeleteDocuments read(WireReader in) {
        return new DeleteDocuments(IndexTarget.read(in), in.strings(), in.strings(), in.strings());
    }
}
