package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.buffer.Buffer;

/**
 * The body of an open {@link HttpSession} as documents, with backpressure: the response stays
 * paused and one more buffer is fetched only while the subscriber has unmet demand, so at most one
 * network buffer's worth of lines waits beyond what was requested. JSONL bodies give one document
 * per line; text bodies one document (up to {@code maxRecordBytes}). A body longer than the URL
 * policy's {@code maxBytes} ends with a {@code TOO_LARGE} item. Items are emitted on the
 * connection's event loop: a subscriber that blocks must move off it ({@code emitOn}).
 */
final class HttpBody {

    private final HttpSession session;
    private final Origin origin;
    private final SourceOptions options;
    private final SourceCounters counters;

    HttpBody(HttpSession session, Origin origin, SourceOptions options, SourceCounters counters) {
        this.session = requireNonNull(session, "session");
        this.origin = requireNonNull(origin, "origin");
        this.options = requireNonNull(options, "options");
        this.counters = requireNonNull(counters, "counters");
    }

    Multi<Result<RawDoc>> docs() {
        return Multi.createFrom().emitter(emitter -> {
            Reading reading = new Reading(emitter);
            emitter.onRequest(n -> session.context().runOnContext(v -> reading.fetchIfWanted()));
            session.context().runOnContext(v -> reading.start());
        });
    }

    /** The state of one read of the body; touched only on the session's event loop. */
    private final class Reading implements ResponseInbox.Reader {
        private final MultiEmitter<? super Result<RawDoc>> emitter;
        private final ResponseInbox body = session.body();
        private final LineSplitter splitter = new LineSplitter(options.maxRecordBytes());
        private final JsonlRecords records = new JsonlRecords(origin, options.jsonl(), counters);
        private final boolean text = session.format() == Format.TEXT;
        private Buffer whole = Buffer.buffer();
        private long received;
        private boolean started;
        private boolean fetching;
        private boolean finished;

        Reading(MultiEmitter<? super Result<RawDoc>> emitter) {
            this.emitter = emitter;
        }

        void start() {
            body.attach(this);
            started = true;
            fetchIfWanted();
        }

        /**
         * Fetches one more body event when the subscriber wants items. A request can arrive before
         * {@link #start} has attached this reader (the emitter reports demand made at
         * subscription), so fetching waits for start.
         */
        void fetchIfWanted() {
            if (started && !finished && !fetching && !emitter.isCancelled() && (text || emitter.requested() > 0)) {
                fetching = true;
                body.fetch();
            }
        }

        @Override
        public void onBuffer(Buffer buffer) {
            fetching = false;
            counters.addBytes(buffer.length());
            if (finished) {
                return;
            }
            received += buffer.length();
            if (received > options.urls().maxBytes()) {
                finish(Result.err(InputUnread.mark(ErrInfo.of(ErrCode.TOO_LARGE, origin.display() + ": the body is larger "
                                + "than the limit of " + options.urls().maxBytes() + " bytes per URL source "
                                + "(fetch.maxBytes); the rest was not read")
                        .withStage("parse").withKey(origin.relative()).withLocation(origin.display()))));
                return;
            }
            if (text) {
                if (whole.length() + buffer.length() > options.maxRecordBytes()) {
                    finish(Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, origin.display() + " is larger than the limit of "
                                    + options.maxRecordBytes() + " bytes for one text document; raise maxRecordBytes")
                            .withStage("parse").withKey(origin.relative()).withLocation(origin.display())));
                    return;
                }
                whole.appendBuffer(buffer);
            } else {
                byte[] bytes = buffer.getBytes();
                splitter.feed(bytes, 0, bytes.length, this::emitLine);
            }
            fetchIfWanted();
        }

        @Override
        public void onEnd() {
            if (finished) {
                return;
            }
            if (text) {
                byte[] bytes = whole.getBytes();
                whole = Buffer.buffer();
                Decoded decoded = Decoded.utf8(bytes, 0, bytes.length);
                counters.addReplaced(decoded.replaced());
                finish(Result.ok(new RawDoc(origin.relative(), origin.display(), decoded.text(),
                        Map.of("source", origin.relative()), bytes.length, decoded.replaced())));
            } else {
                splitter.finish(this::emitLine);
                finish(null);
            }
        }

        @Override
        public void onFailure(Throwable failure) {
            if (!finished) {
                finish(RecordCursor.ioError(origin.display(), failure instanceof Exception e ? e : new RuntimeException(failure)));
            }
        }

        private void emitLine(LineSplitter.Line line) {
            Result<RawDoc> record = records.parse(line);
            if (record != null && !emitter.isCancelled()) {
                emitter.emit(record);
            }
        }

        private void finish(Result<RawDoc> last) {
            finished = true;
            if (last != null) {
                emitter.emit(last);
            }
            emitter.complete();
        }
    }
}
