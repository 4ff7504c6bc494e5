package io.funcpipe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Samples used heap every 20 ms from {@link MemoryMXBean} and keeps the peak; close to stop. */
final class HeapSampler implements AutoCloseable {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
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

    private void sample() {
        peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
