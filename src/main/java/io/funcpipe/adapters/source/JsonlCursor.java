package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;

/** Reads a JSONL input line by line, 64 KiB at a time: memory holds one block and one line. */
final class JsonlCursor implements RecordCursor {

    private static final int BLOCK = 64 * 1024;

    private final InputStream in;
    private final Origin origin;
    private final JsonlRecords records;
    private final LineSplitter splitter;
    private final ArrayDeque<LineSplitter.Line> lines = new ArrayDeque<>();
    private final byte[] block = new byte[BLOCK];
    private boolean ended;

    JsonlCursor(InputStream in, Origin origin, SourceOptions options, SourceCounters counters) {
        this.in = requireNonNull(in, "in");
        this.origin = requireNonNull(origin, "origin");
        this.records = new JsonlRecords(origin, options.jsonl(), counters);
        this.splitter = new LineSplitter(options.maxRecordBytes());
    }

    @Override
    public Result<RawDoc> next() {
        while (true) {
            while (!lines.isEmpty()) {
                Result<RawDoc> record = records.parse(lines.poll());
                if (record != null) {
                    return record;
                }
            }
            if (ended) {
                return null;
            }
            try {
                int n = in.read(block);
                if (n < 0) {
                    ended = true;
                    splitter.finish(lines::add);
                } else {
                    splitter.feed(block, 0, n, lines::add);
                }
            } catch (IOException e) {
                ended = true;
                lines.clear();
                return RecordCursor.ioError(origin.display(), e);
            }
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new IllegalStateException("closing " + origin.display() + " failed: " + e.getMessage(), e);
        }
    }
}
