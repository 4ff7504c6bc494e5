package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;

import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;

/**
 * Follows which records of a run are done, for its {@link Checkpoint}. The pipeline tells it, in
 * stream order, how many items each record sends on after chunking ({@link #expect}: its chunks,
 * or the one {@code Err} of a record that failed before) and, in the same order, which items left
 * the index stage ({@link #settle}). A record is done when its last item has left; the checkpoint
 * covers the longest prefix of done records and only their counts. Both calls come from one
 * sequential point of the stream each (possibly two threads); they are serialized here. Memory is
 * bounded by the records in flight.
 */
public final class CheckpointTracker {

    private final Checkpoint base;
    private final Clock clock;
    // Guarded by this: records in flight, oldest first, each {items left, failed doc?, indexed, failed chunks}.
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();
    private long docs;
    private long documentsFailed;
    private long chunksIndexed;
    private long chunksFailed;

    /** Tracks a run that starts at {@code base} (its previous checkpoint, or {@link Checkpoint#start}). */
    public CheckpointTracker(Checkpoint base, Clock clock) {
        this.base = requireNonNull(base, "base");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The checkpoint the run started from. */
    public Checkpoint base() {
        return base;
    }

    /** One record, after chunking: its chunks come next, or (an {@code Err}) its one error item. */
    synchronized void expect(Result<List<Chunk>> record) {
        switch (record) {
            case Ok<List<Chunk>>(List<Chunk> chunks) -> inFlight.addLast(new long[] {chunks.size(), 0, 0, 0});
            case Err<List<Chunk>> err -> inFlight.addLast(new long[] {1, 1, 0, 0});
        }
        advance();
    }

    /** Items that left the index stage, in stream order: indexed chunks ({@code Ok}) and failures. */
    synchronized void settle(List<? extends Result<?>> items) {
        for (Result<?> item : items) {
            long[] head = inFlight.peekFirst();
            if (head == null) {
                throw new IllegalStateException("an item left the index stage that no record was expected to send: "
                        + item);
            }
            head[0]--;
            if (item instanceof Ok<?>) {
                head[2]++;
            } else if (head[1] == 0 && item instanceof Err<?>(ErrInfo e)) {
                head[3]++;
            }
            advance();
        }
    }

    /** The checkpoint now: the base plus every record done since, in order. */
    public synchronized Checkpoint current() {
        return new Checkpoint(base.key(), base.docs() + docs, base.documentsFailed() + documentsFailed,
                base.chunksIndexed() + chunksIndexed, base.chunksFailed() + chunksFailed, clock.instant(), false);
    }

    /** Moves every done record at the head into the counts; called holding the lock. */
    private void advance() {
        while (!inFlight.isEmpty() && inFlight.peekFirst()[0] == 0) {
            long[] done = inFlight.removeFirst();
            docs++;
            documentsFailed += done[1];
            chunksIndexed += done[2];
            chunksFailed += done[3];
        }
    }
}
