package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;

/**
 * Reads a plain-text or Markdown input as one document (id: the path relative to the input folder, or as given for a file named on its own).
 * The only reader that holds a whole input in memory, up to {@code maxRecordBytes}; a larger input
 * is an {@code Err}, not an out-of-memory failure.
 */
final class TextCursor implements RecordCursor {

    private final InputStream in;
    private final Origin origin;
    private final int maxBytes;
    private final SourceCounters counters;
    private boolean done;

    TextCursor(InputStream in, Origin origin, SourceOptions options, SourceCounters counters) {
        this.in = requireNonNull(in, "in");
        this.origin = requireNonNull(origin, "origin");
        this.maxBytes = options.maxRecordBytes();
        this.counters = requireNonNull(counters, "counters");
    }

    @Override
    public Result<RawDoc> next() {
        if (done) {
            return null;
        }
        done = true;
        byte[] bytes;
        try {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            return RecordCursor.ioError(origin.display(), e);
        }
        if (bytes.length > maxBytes) {
            return Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, origin.display() + " is larger than the limit of "
                            + maxBytes + " bytes for one text document; split it or raise maxRecordBytes")
                    .withStage("parse").withKey(origin.relative()).withLocation(origin.display()));
        }
        Decoded decoded = Decoded.utf8(bytes, 0, bytes.length);
        counters.addReplaced(decoded.replaced());
        return Result.ok(new RawDoc(origin.relative(), origin.display(), decoded.text(),
                Map.of("source", origin.relative()), bytes.length, decoded.replaced()));
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
