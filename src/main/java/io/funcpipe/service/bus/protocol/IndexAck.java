package io.funcpipe.service.bus.protocol;

/**
 * Reply to {@link UpsertChunks} (the number of chunks written) and {@link CommitIndex} (the
 * commit's sequence number).
 */
public record IndexAck(long value) implements BusMessage {

    @Override
    public void writeTo(WireWriter out) {
        out.int64(value);
    }

    public static IndexAck read(WireReader in) {
        return new IndexAck(in.int64());
    }
}
