package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;

/**
 * A reader that counts the characters handed out since the last {@link #startRecord()} and fails
 * with {@link TooLarge} when more are asked for once the limit is reached: it keeps a parser that
 * accumulates one record (commons-csv with an unterminated quote takes the whole rest of the file
 * as one field) from growing without bound. The parser reads ahead into its buffer, so a record is cut after at most
 * the limit plus what that buffer held when the record started (8 KiB for commons-csv).
 */
final class RecordLimitReader extends Reader {

    /** The record being read passed the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("a record is longer than " + limit + " characters");
        }
    }

    private final Reader in;
    private final long limit;
    private long sinceStart;

    RecordLimitReader(Reader in, long limit) {
        this.in = requireNonNull(in, "in");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.limit = limit;
    }

    /** A new record starts: its characters are counted from here. */
    void startRecord() {
        sinceStart = 0;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (sinceStart >= limit) {
            throw new TooLarge(limit);
        }
        // never more than the rest of the allowance: a small limit is not passed by one read ahead
        int n = in.read(buffer, offset, (int) Math.min(length, limit - sinceStart));
        if (n > 0) {
            sinceStart += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
