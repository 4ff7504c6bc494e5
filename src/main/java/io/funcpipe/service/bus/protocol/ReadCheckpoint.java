package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

/**
 * Request to {@code funcpipe.stage.index}: the checkpoint of run {@code key} in the index's last
 * commit (opening the index first if needed). Answered with {@link IndexCheckpoint}.
 */
public record ReadCheckpoint(IndexTarget target, String key) implements BusMessage {

    public ReadCheckpoint {
        requireNonNull(target, "target");
        requireNonNull(key, "key");
    }

    @Override
    public void writeTo(WireWriter out) {
        target.writeTo(out);
        out.string(key);
    }

    public static ReadCheckpoint read(WireReader in) {
        return new ReadCheckpoint(IndexTarget.read(in), in.string());
    }
}
