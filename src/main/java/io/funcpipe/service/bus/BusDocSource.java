package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.rag.DocSource;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.service.bus.protocol.CloseSource;
import io.funcpipe.service.bus.protocol.DocBatch;
import io.funcpipe.service.bus.protocol.NextDocs;
import io.funcpipe.service.bus.protocol.OpenSource;
import io.funcpipe.service.bus.protocol.SourceOpened;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * {@link DocSource} over the parse stage: each run opens a source session on whichever node takes
 * the {@link OpenSource}, pulls {@code docBatch} documents per {@link NextDocs}, one request at a
 * time and only while downstream wants more, and closes the session when the stream ends or is
 * cancelled ({@link AsyncGen#using}).
 *
 * <p>A session that is lost (its node left: {@code UNAVAILABLE}, or it stopped answering:
 * {@code TIMEOUT}, after the job's retries) is reopened, on any node hosting {@code parse}, at the
 * record after the last one delivered, up to the retry policy's {@code maxAttempts} times in a row.
 * When the inputs cannot be opened or a session cannot be reopened, the stream <em>fails</em> with a
 * {@link SourceFailedException} naming the inputs and how many records were read: a job whose input
 * was not read to its end never succeeds.
 */
final class BusDocSource implements DocSource {

    private static final Logger LOG = System.getLogger(BusDocSource.class.getName());

    private final StageClient client;
    private final BusJob job;
    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesRead = new AtomicLong();
    private volatile long totalBytes = -1;

    BusDocSource(StageClient client, BusJob job) {
        this.client = requireNonNull(client, "client");
        this.job = requireNonNull(job, "job");
    }

    @Override
    public String describe() {
        return String.join(", ", job.inputs()) + " (via " + StageAddress.PARSE + ")";
    }

    /** The inputs' size as the parse node measured it, or -1 until a session has opened (or for URLs). */
    @Override
    public long totalBytes() {
        return totalBytes;
    }

    /** Input bytes read so far, over every run and session, as the parse nodes reported them. */
    long bytesRead() {
        return bytesRead.get();
    }

    /** Source sessions opened by runs still going (or not yet closed). */
    int openSessions() {
        return open.size();
    }

    @Override
    public AsyncGen<RawDoc> docs() {
        return docsFrom(0);
    }

    /** The records after the first {@code skip}, skipped on the parse node (they never cross the bus). */
    @Override
    public AsyncGen<RawDoc> docsFrom(long skip) {
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be >= 0, got " + skip);
        }
        return AsyncGen.using(AsyncPlan.defer(() -> Uni.createFrom().item(io.funcpipe.core.Result.ok(new Run(skip)))),
                Run::close, this::pull);
    }

    /** Closes every session still open (runs that were abandoned without completing or cancelling). */
    void closeAll(String reason) {
        for (Session session : List.copyOf(open)) {
            close(session, reason).subscribe().with(ignored -> { }, e -> { });
        }
    }

    private AsyncGen<RawDoc> pull(Run run) {
        return AsyncGen.defer(() -> Multi.createBy().repeating()
                .uni(run::next)
                .whilst(batch -> !batch.end())
                .onItem().transformToIterable(DocBatch::docs));
    }

    private Uni<Void> close(Session session, String reason) {
        if (!open.remove(session)) {
            return Uni.createFrom().voidItem();
        }
        return client.once(session.address, new CloseSource(reason), DocBatch.class).open()
                .onItem().invoke(closed -> closed.onErr(e -> {
                    if (e.code() == ErrCode.UNAVAILABLE) {
                        LOG.log(Level.DEBUG, "the source session {0} of job {1} was already gone: {2}",
                                session.address, job.jobId(), e.message());
                    } else {
                        LOG.log(Level.WARNING, "closing the source session {0} of job {1} failed: {2}; the session "
                                + "closes itself after its idle timeout", session.address, job.jobId(), e.message());
                    }
                }))
                .replaceWithVoid();
    }

    /** The end of the input as the job sees it: the stream fails with this, never completes early. */
    static final class SourceFailedException extends RuntimeException {
        SourceFailedException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * One run over the inputs: the session it reads now (reopened when lost) and how many records
     * it has delivered, counting the ones it skipped. Requests are serialized by the repeating
     * pull (one at a time), so its fields need no lock beyond visibility.
     */
    private final class Run {
        private volatile long position;
        private volatile Session current;
        private volatile int lostInARow;
        private volatile boolean ended;
        /** The input bytes the latest session had read, skipped records included (a session reports from the input's start). */
        private volatile long lastBytes;

        Run(long skip) {
            this.position = skip;
        }

        Uni<DocBatch> next() {
            return session().chain(s -> client.call(s.address, new NextDocs(s.nextSeq(), job.docBatch()),
                    DocBatch.class).open().chain(reply -> switch (reply) {
                        case Ok<DocBatch>(DocBatch batch) -> {
                            received(s, batch);
                            yield Uni.createFrom().item(batch);
                        }
                        case Err<DocBatch>(ErrInfo error) -> lost(s, error);
                    }));
        }

        private Uni<Session> session() {
            Session s = current;
            if (s != null) {
                return Uni.createFrom().item(s);
            }
            long from = position;
            return client.call(StageAddress.PARSE, new OpenSource(job.jobId(), job.inputs(), job.sourceOptions(), from),
                    SourceOpened.class).open().chain(reply -> switch (reply) {
                        case Ok<SourceOpened>(SourceOpened opened) -> {
                            totalBytes = opened.totalBytes();
                            Session fresh = new Session(opened.session(), lastBytes);
                            open.add(fresh);
                            current = fresh;
                            yield Uni.createFrom().item(fresh);
                        }
                        case Err<SourceOpened>(ErrInfo error) -> Uni.createFrom().failure(new SourceFailedException(
                                "the job's inputs " + describe() + (from == 0 ? " could not be opened: "
                                        : " could not be reopened after " + from + " records: ") + error.message()));
                    });
        }

        private void received(Session s, DocBatch batch) {
            lostInARow = 0;
            position += batch.docs().size();
            bytesRead.addAndGet(batch.bytesRead() - s.bytesSeen);
            s.bytesSeen = batch.bytesRead();
            lastBytes = batch.bytesRead();
            totalBytes = batch.totalBytes();
            ended = batch.end();
        }

        private Uni<DocBatch> lost(Session s, ErrInfo error) {
            boolean reopenable = error.code() == ErrCode.UNAVAILABLE || error.code() == ErrCode.TIMEOUT;
            current = null;
            BusDocSource.this.close(s, "lost: " + error.message()).subscribe().with(ignored -> { }, e -> { });
            if (!reopenable || ++lostInARow > job.retry().maxAttempts()) {
                return Uni.createFrom().failure(new SourceFailedException("reading " + describe() + " stopped after "
                        + position + " records: " + error.message()
                        + (reopenable ? " (the source session was reopened " + (lostInARow - 1)
                                + " times in a row without progress)" : "")));
            }
            LOG.log(Level.WARNING, "job {0}: the source session {1} was lost after {2} records ({3}); reopening it "
                    + "at that record", job.jobId(), s.address, position, error.message());
            return next();
        }

        Uni<Void> close() {
            Session s = current;
            current = null;
            return s == null ? Uni.createFrom().voidItem() : BusDocSource.this.close(s, ended ? "completed"
                    : "stopped before the end");
        }
    }

    /** One session: its address and how far it has been read (in bytes from the input's start). */
    private static final class Session {
        private final String address;
        private long seq;
        private long bytesSeen;

        Session(String address, long bytesSeen) {
            this.address = address;
            this.bytesSeen = bytesSeen;
        }

        long nextSeq() {
            return ++seq;
        }
    }
}
