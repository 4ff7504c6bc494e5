package io.funcpipe.adapters.source;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters of a set of sources, safe to poll from any thread (for progress and ETA).
 * One instance is shared by every source {@link Sources#open} builds; counts add up over every run
 * of those sources (open the sources anew for fresh counts).
 */
public final class SourceCounters {

    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong skippedFiles = new AtomicLong();
    private final AtomicLong replacedChars = new AtomicLong();
    private final AtomicLong openHandles = new AtomicLong();
    private final List<String> skippedNames = new CopyOnWriteArrayList<>();

    /** How many skipped files {@link #skippedFileNames()} names at most. */
    public static final int NAMED_SKIPS = 20;

    /** Input bytes read so far, over every file and connection. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** Files a directory walk skipped because their extension names no known format. */
    public long skippedFiles() {
        return skippedFiles.get();
    }

    /** The first {@value #NAMED_SKIPS} files counted in {@link #skippedFiles()}, as paths under their folder. */
    public List<String> skippedFileNames() {
        return List.copyOf(skippedNames);
    }

    /** Invalid UTF-8 sequences replaced by U+FFFD so far. */
    public long replacedChars() {
        return replacedChars.get();
    }

    /** Files and connections open right now (0 once every stream has ended or been cancelled). */
    public long openHandles() {
        return openHandles.get();
    }

    void addBytes(long n) {
        bytesRead.addAndGet(n);
    }

    void addSkippedFile(String name) {
        if (skippedFiles.incrementAndGet() <= NAMED_SKIPS) {
            skippedNames.add(name);
        }
    }

    void addReplaced(long n) {
        if (n > 0) {
            replacedChars.addAndGet(n);
        }
    }

    void opened() {
        openHandles.incrementAndGet();
    }

    void closed() {
        openHandles.decrementAndGet();
    }
}
