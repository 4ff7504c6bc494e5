package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

/**
 * Reply to {@link ReadCheckpoint}: the checkpoint as JSON ({@code CheckpointJson}), or "" when
 * the run never committed one to that index.
 */
public record IndexCheckpoint(String checkpoint) implements BusMessage {

    public IndexCheckpoint {
        requireNonNull(checkpoint, "checkpoint");
    }

    @Override
    public void writeTo(WireWriter out) {
        out.string(checkpoint);
    }

    public static IndexCheckpoint read(WireReader in) {
        return new IndexCheckpoint(in.string());
    }
}
