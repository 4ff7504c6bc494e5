package io.funcpipe.adapters.source;

import java.util.ArrayList;
import java.util.List;
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
    private final List<SkippedFile> skipped = new ArrayList<>();

    /** How many skipped files {@link #skipped()} lists at most; the count goes on past it. */
    public static final int MAX_LISTED_SKIPPED = 1000;

    /** Input bytes read so far, over every file and connection. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /**
     * Files a directory walk skipped because no reader reads their type (neither their extension
     * nor their content names a format), over every run.
     */
    public long skippedFiles() {
        return skippedFiles.get();
    }

    /**
     * The first {@value #MAX_LISTED_SKIPPED} skipped files, in walk order, each with the media type
     * its content was detected as; {@link #skippedFiles()} counts them all.
     */
    public List<SkippedFile> skipped() {
        synchronized (skipped) {
            return List.copyOf(skipped);
        }
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

    void addSkippedFile(SkippedFile file) {
        skippedFiles.incrementAndGet();
        synchronized (skipped) {
            if (skipped.size() < MAX_LISTED_SKIPPED) {
                skipped.add(file);
            }
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
