package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Request to {@code funcpipe.stage.index}: the records of those of {@code ids} the index holds.
 * Answered with {@link DocumentRecords}.
 */
public record ReadDocuments(IndexTarget target, List<String> ids) implements BusMessage {

    public ReadDocuments {
        requireNonNull(target, "target");
        ids = List.copyOf(ids);
    }

    @Override
    public void writeTo(WireWriter out) {
        target.writeTo(out);
        out.strings(ids);
    }

    public static ReadDocuments read(WireReader in) {
        return new ReadDocuments(IndexTarget.read(in), in.strings());
    }
}
