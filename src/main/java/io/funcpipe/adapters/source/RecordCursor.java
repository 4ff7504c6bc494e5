package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;
import io.smallrye.mutiny.Multi;

/**
 * A blocking, pull-based reader of one open input: each {@link #next()} reads just enough for one
 * record. It never throws: a read failure becomes a last {@code Err} item.
 */
interface RecordCursor extends AutoCloseable {

    /** The next record, or null at the end of the input. */
    Result<RawDoc> next();

    @Override
    void close();

    /**
     * The records of the cursor {@code open} makes, as a stream that owns the cursor: opened when
     * the stream is subscribed, read on demand (on the requesting thread), closed exactly once on
     * completion, cancellation or failure.
     */
    static AsyncGen<RawDoc> stream(Callable<? extends RecordCursor> open) {
        requireNonNull(open, "open");
        return AsyncGen.using(open, cursor -> AsyncGen.defer(() -> Multi.createFrom().iterable(() -> iterator(cursor))));
    }

    /** An {@code IO_ERROR} item for a failure while reading {@code where}. */
    static Result<RawDoc> ioError(String where, Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Result.err(InputUnread.mark(ErrInfo.of(ErrCode.IO_ERROR, "reading " + where + " failed: " + why
                        + "; the rest of this input is skipped, check that it is readable and not truncated")
                .withStage("parse").withKey(where).withLocation(where)
                .withDetail("exception", e.getClass().getName())));
    }

    private static Iterator<Result<RawDoc>> iterator(RecordCursor cursor) {
        return new Iterator<>() {
            private Result<RawDoc> next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    try {
                        next = cursor.next();
                    } catch (RuntimeException e) {
                        next = Result.err(ErrInfo.fromException(ErrCode.EXCEPTION, e).withStage("parse")
                                .withMessage("reading failed unexpectedly, the rest of this input is skipped: " + e));
                        done = true;
                        return true;
                    }
                    done = next == null;
                }
                return next != null;
            }

            @Override
            public Result<RawDoc> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Result<RawDoc> item = next;
                next = null;
                return item;
            }
        };
    }
}
