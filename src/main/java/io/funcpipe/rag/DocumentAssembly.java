package io.funcpipe.rag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;

/**
 * Regroups the items that reach the index stage into whole documents, so that a document is
 * written (and its earlier version replaced) in one step and a commit never falls inside one.
 * Told, in stream order, each document after preparation ({@link #expect}: how many items it sends
 * on), it hands back each document once its last item arrived ({@link #add}). A document's items
 * are contiguous in the stream (batches keep order), so memory is bounded by one document's chunks
 * plus the documents in flight. Both calls come from one sequential point of the stream each; they
 * are serialized here.
 */
final class DocumentAssembly {

    /** A document whose items all arrived: its preparation and its items, in order. */
    record Whole(Result<Prepared> doc, List<Result<EmbeddedChunk>> items) {
    }

    private static final class Pending {
        final Result<Prepared> doc;
        final int expected;
        final List<Result<EmbeddedChunk>> items = new ArrayList<>();

        Pending(Result<Prepared> doc, int expected) {
            this.doc = doc;
            this.expected = expected;
        }
    }

    // Guarded by this.
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();

    /** One document after preparation: its chunks come next, or (an {@code Err}) its one error item, or nothing (unchanged). */
    synchronized void expect(Result<Prepared> doc) {
        int expected = doc instanceof Ok<Prepared>(Prepared p) ? p.chunks().size() : 1;
        if (expected > 0) {
            inFlight.addLast(new Pending(doc, expected));
        }
    }

    /** The documents {@code items} (the next items in stream order) complete, in order. */
    synchronized List<Whole> add(List<Result<EmbeddedChunk>> items) {
        List<Whole> whole = new ArrayList<>();
        for (Result<EmbeddedChunk> item : items) {
            Pending head = inFlight.peekFirst();
            if (head == null) {
                throw new IllegalStateException("an item reached the index stage that no document was expected to send: "
                        + item);
            }
            head.items.add(item);
            if (head.items.size() == head.expected) {
                inFlight.removeFirst();
                whole.add(new Whole(head.doc, List.copyOf(head.items)));
            }
        }
        return whole;
    }
}
