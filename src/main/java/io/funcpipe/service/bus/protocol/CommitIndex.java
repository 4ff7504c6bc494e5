package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

/**
 * Request to {@code funcpipe.stage.index}: make everything upserted into the index durable
 * (opening it first if needed), with a run's checkpoint in the same commit. Answered with
 * {@link IndexAck} (Lucene's commit sequence number).
 *
 * @param target     the index
 * @param checkpoint the run's checkpoint as JSON ({@code CheckpointJson}), or "" to commit without one
 */
public record CommitIndex(IndexTarget target, String checkpoint) implements BusMessage {

    public CommitIndex {
        requireNonNull(target, "target");
        requireNonNull(checkpoint, "checkpoint");
    }

    /** A commit without a checkpoint (opening an index when a job binds). */
    public CommitIndex(IndexTarget target) {
        this(target, "");
    }

    @Override
    public void writeTo(WireWriter out) {
        target.writeTo(out);
        out.string(checkpoint);
    }

    public static CommitIndex read(WireReader in) {
        return new CommitIndex(IndexTarget.read(in), in.string());
    }
}
