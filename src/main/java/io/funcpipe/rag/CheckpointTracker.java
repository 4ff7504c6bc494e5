package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
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
    // Guarded by this: records in flight, oldest first.
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private long docs;
    private long documentsFailed;
    private long chunksIndexed;
    private long chunksFailed;
    private SyncCounts sync = SyncCounts.none();
    private int writing;
    private CompletableFuture<Void> quiet = CompletableFuture.completedFuture(null);

    /** One record in flight: items still to leave the index stage, and its counts so far. */
    private static final class Pending {
        long items;
        final boolean failedDoc;
        long indexed;
        long failedChunks;
        SyncCounts sync;

        Pending(long items, boolean failedDoc, SyncCounts sync) {
            this.items = items;
            this.failedDoc = failedDoc;
            this.sync = sync;
        }
    }

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
        expect(record, SyncCounts.none());
    }

    /**
     * One record, after chunking, with what is already known of its sync counts (an unchanged
     * document: {@code documentsUnchanged} 1 and no chunk, so it is done at once).
     */
    synchronized void expect(Result<List<Chunk>> record, SyncCounts known) {
        requireNonNull(known, "known");
        switch (record) {
            case Ok<List<Chunk>>(List<Chunk> chunks) -> inFlight.addLast(new Pending(chunks.size(), false, known));
            case Err<List<Chunk>> err -> inFlight.addLast(new Pending(1, true, known));
        }
        advance();
    }

    /** Items that left the index stage, in stream order: indexed chunks ({@code Ok}) and failures. */
    synchronized void settle(List<? extends Result<?>> items) {
        settle(items, Collections.nCopies(items.size(), SyncCounts.none()));
    }

    /**
     * Items that left the index stage, in stream order, each with the sync counts it adds to its
     * record (a written document's, given on any one of its items; none on the others).
     */
    synchronized void settle(List<? extends Result<?>> items, List<SyncCounts> counts) {
        if (counts.size() != items.size()) {
            throw new IllegalArgumentException(items.size() + " items but " + counts.size() + " sync counts");
        }
        for (int i = 0; i < items.size(); i++) {
            Result<?> item = items.get(i);
            Pending head = inFlight.peekFirst();
            if (head == null) {
                throw new IllegalStateException("an item left the index stage that no record was expected to send: "
                        + item);
            }
            head.items--;
            if (item instanceof Ok<?>) {
                head.indexed++;
            } else if (!head.failedDoc && item instanceof Err<?>(ErrInfo e)) {
                head.failedChunks++;
            }
            head.sync = head.sync.plus(counts.get(i));
            advance();
        }
    }

    /** Documents a full sync deleted (at the run's end, after its last record). */
    synchronized void deleted(Deletion deletion) {
        sync = sync.plus(new SyncCounts(0, 0, 0, deletion.documents(), 0, 0, deletion.chunks()));
    }

    /**
     * An index write of the run started: its items will be settled here when it ends, even after the
     * run was cancelled (a cancel must not leave documents written but not counted).
     */
    synchronized void writeStarted() {
        if (writing++ == 0) {
            quiet = new CompletableFuture<>();
        }
    }

    /** An index write of the run ended (its items settled, or it failed). */
    void writeEnded() {
        CompletableFuture<Void> now = null;
        synchronized (this) {
            if (writing > 0 && --writing == 0) {
                now = quiet;
            }
        }
        if (now != null) {
            now.complete(null);
        }
    }

    /**
     * Completes when no index write of the run is in flight: after a cancel, wait for it before
     * taking {@link #current()} for the last commit, so that the documents those writes put in the
     * index are counted in the checkpoint committed with them.
     */
    public synchronized CompletableFuture<Void> quiescent() {
        return quiet.copy();
    }

    /** The checkpoint now: the base plus every record done since, in order. */
    public synchronized Checkpoint current() {
        return new Checkpoint(base.key(), base.docs() + docs, base.documentsFailed() + documentsFailed,
                base.chunksIndexed() + chunksIndexed, base.chunksFailed() + chunksFailed, clock.instant(), false,
                base.sync().plus(sync));
    }

    /** Moves every done record at the head into the counts; called holding the lock. */
    private void advance() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().items == 0) {
            Pending done = inFlight.removeFirst();
            docs++;
            documentsFailed += done.failedDoc ? 1 : 0;
            chunksIndexed += done.indexed;
            chunksFailed += done.failedChunks;
            sync = sync.plus(done.sync);
        }
    }
}
