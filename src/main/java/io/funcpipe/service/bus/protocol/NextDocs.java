package io.funcpipe.service.bus.protocol;

/**
 * Request to a source session: the next batch of at most {@code max} documents, answered with a
 * {@link DocBatch} of the same {@code seq}. Batches are numbered from 1; asking again for the last
 * answered {@code seq} (a retry after a lost reply) gets the same batch again, so a retried pull
 * neither skips nor repeats documents.
 *
 * @param seq the batch's number, the last answered one + 1 (or the last answered one, to repeat it)
 * @param max the most documents wanted, >= 1
 */
public record NextDocs(long seq, int max) implements BusMessage {

    public NextDocs {
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, got " + seq);
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, got " + max);
        }
    }

    @Override
    public void writeTo(WireWriter out) {
        out.int64(seq).int32(max);
    }

    public static NextDocs read(WireReader in) {
        return new NextDocs(in.int64(), in.int32());
    }
}
