package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

/**
 * Request to {@code funcpipe.stage.index}: make everything upserted into the index durable
 * (opening it first if needed). Answered with {@link IndexAck} (Lucene's commit sequence number).
 */
public record CommitIndex(IndexTarget target) implements BusMessage {

    public CommitIndex {
        requireNonNull(target, "target");
    }

    @Override
    public void writeTo(WireWriter out) {
        target.writeTo(out);
    }

    public static CommitIndex read(WireReader in) {
        return new CommitIndex(IndexTarget.read(in));
    }
}
