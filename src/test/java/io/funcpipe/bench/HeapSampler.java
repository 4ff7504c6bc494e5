package io.funcpipe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples heap every 20 ms and keeps two peaks: used heap ({@link MemoryMXBean}, garbage included)
 * and heap left after the latest collection (the heap pools' collection usage: the live set).
 */
final class HeapSampler implements AutoCloseable {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heap-sampler");
        t.setDaemon(true);
        return t;
    });

    HeapSampler() {
        timer.scheduleAtFixedRate(this::sample, 0, 20, TimeUnit.MILLISECONDS);
    }

    /** Used heap after a requested GC, in bytes: the live set before a run. */
    static long settledHeap() {
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    static long maxHeap() {
        return MEMORY.getHeapMemoryUsage().getMax();
    }

    long peak() {
        sample();
        return peak.get();
    }

    long peakAfterGc() {
        sample();
        return peakAfterGc.get();
    }

    /** Heap used after the latest collection, summed over the heap pools. */
    static long afterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    private void sample() {
        peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
        peakAfterGc.accumulateAndGet(afterGc(), Math::max);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
