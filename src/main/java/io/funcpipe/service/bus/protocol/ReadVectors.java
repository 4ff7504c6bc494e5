package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Request to {@code funcpipe.stage.index}: the stored vectors of chunks with these text hashes
 * (for reuse instead of embedding). Answered with {@link StoredVectors}.
 */
public record ReadVectors(IndexTarget target, List<String> textHashes) implements BusMessage {

    public ReadVectors {
        requireNonNull(target, "target");
        textHashes = List.copyOf(textHashes);
    }

    @Override
    public void writeTo(WireWriter out) {
        target.writeTo(out);
        out.strings(textHashes);
    }

    public static ReadVectors read(WireReader in) {
        return new ReadVectors(IndexTarget.read(in), in.strings());
    }
}
