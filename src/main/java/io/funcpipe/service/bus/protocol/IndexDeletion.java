package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import io.funcpipe.rag.Deletion;

/** Reply to {@link DeleteDocuments}: what was deleted. */
public record IndexDeletion(Deletion deletion) implements BusMessage {

    public IndexDeletion {
        requireNonNull(deletion, "deletion");
    }

    @Override
    public void writeTo(WireWriter out) {
        out.int64(deletion.documents()).int64(deletion.chunks());
    }

    public static IndexDeletion read(WireReader in) {
        return new IndexDeletion(new Deletion(in.int64(), in.int64()));
    }
}
