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
import io.funcpipe.core.Result;
import io.funcpipe.rag.DocSource;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.rag.Stage;
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
 * cancelled ({@link AsyncGen#using}). A pull that fails after its retries ends the stream with
 * that {@code Err} (tagged {@code parse}).
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

    /** Input bytes read so far, over every run, as the parse nodes reported them. */
    long bytesRead() {
        return bytesRead.get();
    }

    /** Source sessions opened by runs still going (or not yet closed). */
    int openSessions() {
        return open.size();
    }

    @Override
    public AsyncGen<RawDoc> docs() {
        return AsyncGen.using(openSession(), this::close, this::pull);
    }

    /** Closes every session still open (runs that were abandoned without completing or cancelling). */
    void closeAll(String reason) {
        for (Session session : List.copyOf(open)) {
            close(session, reason).subscribe().with(ignored -> { }, e -> { });
        }
    }

    private AsyncPlan<Session> openSession() {
        return client.call(StageAddress.PARSE, new OpenSource(job.jobId(), job.inputs(), job.sourceOptions()),
                SourceOpened.class).map(opened -> {
                    totalBytes = opened.totalBytes();
                    Session session = new Session(opened.session());
                    open.add(session);
                    return session;
                });
    }

    private AsyncGen<RawDoc> pull(Session session) {
        return AsyncGen.defer(() -> Multi.createBy().repeating()
                .uni(() -> session, s -> client.call(s.address, new NextDocs(s.nextSeq(), job.docBatch()),
                        DocBatch.class).open())
                .whilst(reply -> reply instanceof Ok<DocBatch>(DocBatch batch) && !batch.end())
                .onItem().transformToIterable(reply -> switch (reply) {
                    case Ok<DocBatch>(DocBatch batch) -> {
                        session.received(batch);
                        yield batch.docs();
                    }
                    case Err<DocBatch>(ErrInfo error) -> List.of(Result.<RawDoc>err(
                            error.stage().isEmpty() ? error.withStage(Stage.PARSE.label()) : error));
                }));
    }

    private Uni<Void> close(Session session) {
        return close(session, session.ended ? "completed" : "stopped before the end");
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

    /** One run's session: its address and how far it has been read. */
    private final class Session {
        private final String address;
        private long seq;
        private long bytesSeen;
        private volatile boolean ended;

        Session(String address) {
            this.address = address;
        }

        long nextSeq() {
            return ++seq;
        }

        void received(DocBatch batch) {
            bytesRead.addAndGet(batch.bytesRead() - bytesSeen);
            bytesSeen = batch.bytesRead();
            totalBytes = batch.totalBytes();
            ended = batch.end();
        }
    }
}
