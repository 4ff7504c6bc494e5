package io.funcpipe.service.bus;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.funcpipe.adapters.source.SourceCounters;

/**
 * The live counts of one {@link StageHost}, updated by its stage verticles from any thread. The
 * counters of a closed source session are watched until its last file or connection is closed
 * (an HTTP connection closes asynchronously), then forgotten.
 */
final class HostResources {

    private final AtomicLong sessions = new AtomicLong();
    private final Set<SourceCounters> live = ConcurrentHashMap.newKeySet();
    private final Set<SourceCounters> closing = ConcurrentHashMap.newKeySet();
    private final AtomicLong embedCalls = new AtomicLong();
    private final AtomicLong embeddedTexts = new AtomicLong();
    private final AtomicLong embedBatches = new AtomicLong();
    private volatile LongSupplier openIndexes = () -> 0;
    private volatile LongSupplier embedWorkers = () -> 0;

    void sessionOpened(SourceCounters counters) {
        sessions.incrementAndGet();
        live.add(counters);
    }

    void sessionClosed(SourceCounters counters) {
        sessions.decrementAndGet();
        live.remove(counters);
        if (counters.openHandles() > 0) {
            closing.add(counters);
        }
    }

    void embedStarted() {
        embedCalls.incrementAndGet();
    }

    void embedEnded() {
        embedCalls.decrementAndGet();
    }

    /** Counts one embed batch this host served successfully, of {@code texts} texts. */
    void embedded(int texts) {
        embedBatches.incrementAndGet();
        embeddedTexts.addAndGet(texts);
    }

    long embeddedTexts() {
        return embeddedTexts.get();
    }

    long embedBatches() {
        return embedBatches.get();
    }

    void openIndexes(LongSupplier count) {
        this.openIndexes = count;
    }

    void embedWorkers(LongSupplier count) {
        this.embedWorkers = count;
    }

    ResourceCounts snapshot() {
        closing.removeIf(c -> c.openHandles() == 0);
        long handles = 0;
        for (SourceCounters counters : live) {
            handles += counters.openHandles();
        }
        for (SourceCounters counters : closing) {
            handles += counters.openHandles();
        }
        return new ResourceCounts(sessions.get(), handles, openIndexes.getAsLong(), embedCalls.get(),
                embedWorkers.getAsLong());
    }
}
