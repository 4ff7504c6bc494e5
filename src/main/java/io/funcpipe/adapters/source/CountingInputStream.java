package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open file as a source owns it: every byte read is added to {@link SourceCounters#bytesRead()},
 * and the handle is counted in {@link SourceCounters#openHandles()} until closed (exactly once).
 */
final class CountingInputStream extends FilterInputStream {

    private final SourceCounters counters;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long count;

    private CountingInputStream(InputStream in, SourceCounters counters) {
        super(in);
        this.counters = counters;
        counters.opened();
    }

    /** Opens {@code file} for reading, counted. */
    static CountingInputStream open(Path file, SourceCounters counters) throws IOException {
        requireNonNull(file, "file");
        requireNonNull(counters, "counters");
        return new CountingInputStream(Files.newInputStream(file), counters);
    }

    /** Bytes read through this stream. */
    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        add(skipped);
        return skipped;
    }

    private void add(long n) {
        count += n;
        counters.addBytes(n);
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            try {
                super.close();
            } finally {
                counters.closed();
            }
        }
    }
}
