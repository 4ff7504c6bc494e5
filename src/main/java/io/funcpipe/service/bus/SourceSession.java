package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import io.funcpipe.adapters.source.SourceSet;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.service.bus.protocol.CloseSource;
import io.funcpipe.service.bus.protocol.DocBatch;
import io.funcpipe.service.bus.protocol.NextDocs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * One open source on the node that owns its files and connections, answering at its own address.
 * It subscribes to the source's documents once and requests exactly what each {@link NextDocs}
 * asks for, so it never holds more than one batch; the source reads on the requesting thread
 * (this stage's worker context) or, for URLs, as network buffers arrive.
 *
 * <p>The source releases its files at its end; the session releases them when closed, whichever
 * comes first of {@link CloseSource}, the idle timeout and the parse stage's undeploy. Requests,
 * timers and closing all run on the owning verticle's context; items may arrive on other threads,
 * so the batch under construction is guarded by this object's lock.
 */
final class SourceSession implements Flow.Subscriber<Result<RawDoc>> {

    private static final Logger LOG = System.getLogger(SourceSession.class.getName());

    private final String address;
    private final String jobId;
    private final SourceSet source;
    private final long skip;
    private final long totalBytes;
    private final Vertx vertx;
    private final Duration idleTimeout;
    private final HostResources resources;
    private final Runnable onClosed;
    private MessageConsumer<Object> consumer;
    private long idleTimer = -1;

    // Guarded by this.
    private Flow.Subscription upstream;
    private long owed;
    private boolean ended;
    private Result<RawDoc> failure;
    private boolean closed;
    private long answeredSeq;
    private DocBatch answered;
    private Message<?> pending;
    private long pendingSeq;
    private int wanted;
    private List<Result<RawDoc>> collected;

    SourceSession(String address, String jobId, SourceSet source, long skip, long totalBytes, Vertx vertx,
                  Duration idleTimeout, HostResources resources, Runnable onClosed) {
        this.address = requireNonNull(address, "address");
        this.jobId = requireNonNull(jobId, "jobId");
        this.source = requireNonNull(source, "source");
        this.skip = skip;
        this.totalBytes = totalBytes;
        this.vertx = requireNonNull(vertx, "vertx");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
        this.resources = requireNonNull(resources, "resources");
        this.onClosed = requireNonNull(onClosed, "onClosed");
    }

    String address() {
        return address;
    }

    /**
     * Subscribes to the source after its first {@code skip} records (nothing is read yet) and
     * listens at the session's address.
     */
    Future<Void> start() {
        resources.sessionOpened(source.counters());
        source.docsFrom(skip).open().subscribe().withSubscriber(this);
        consumer = vertx.eventBus().consumer(address, this::onMessage);
        armIdleTimer();
        return consumer.completion();
    }

    /**
     * Releases the source (cancelling it if it has not ended) and stops listening; a request still
     * waiting for documents is answered with an {@code UNAVAILABLE} error. Idempotent.
     */
    Future<Void> close(String reason) {
        Flow.Subscription sub;
        boolean cancel;
        Message<?> waiting;
        synchronized (this) {
            if (closed) {
                return Future.succeededFuture();
            }
            closed = true;
            sub = upstream;
            cancel = !ended;
            waiting = pending;
            pending = null;
            collected = null;
        }
        vertx.cancelTimer(idleTimer);
        if (cancel && sub != null) {
            sub.cancel();
        }
        resources.sessionClosed(source.counters());
        onClosed.run();
        LOG.log(Level.DEBUG, "closed source session {0} of job {1} ({2}): {3}", address, jobId, reason,
                cancel ? "source cancelled" : "source had ended");
        if (waiting != null) {
            StageReplies.fail(waiting, ErrInfo.of(ErrCode.UNAVAILABLE, "the source session " + address
                    + " was closed (" + reason + ") while this request waited for documents"));
        }
        return consumer == null ? Future.succeededFuture() : consumer.unregister();
    }

    private void onMessage(Message<Object> message) {
        StageReplies.guarded(address, message, m -> {
            armIdleTimer();
            switch (m.body()) {
                case NextDocs next -> next(m, next);
                case CloseSource close -> {
                    close("the client closed it: " + close.reason());
                    m.reply(new DocBatch(0, List.of(), true, source.counters().bytesRead(), totalBytes));
                }
                case null, default -> StageReplies.fail(m, StageReplies.unexpected(address, m.body(),
                        "NextDocs or CloseSource"));
            }
        });
    }

    private void next(Message<?> message, NextDocs next) {
        DocBatch ready = null;
        Flow.Subscription requestFrom = null;
        long demand = 0;
        synchronized (this) {
            if (closed) {
                StageReplies.fail(message, ErrInfo.of(ErrCode.UNAVAILABLE, "the source session " + address
                        + " is closed"));
                return;
            } else if (pending != null && next.seq() == pendingSeq) {
                pending = message; // a retry of the batch under way: answer the latest asker
                return;
            } else if (pending == null && next.seq() == answeredSeq && answered != null) {
                ready = answered; // a retry after a lost reply: the same batch again
            } else if (pending == null && next.seq() == answeredSeq + 1) {
                pending = message;
                pendingSeq = next.seq();
                wanted = next.max();
                collected = new ArrayList<>(Math.min(next.max(), 1024));
                if (failure != null) {
                    collected.add(failure);
                    failure = null;
                }
                if (ended || collected.size() >= wanted) {
                    ready = finish();
                } else if (upstream == null) {
                    owed = wanted - collected.size();
                } else {
                    requestFrom = upstream;
                    demand = wanted - collected.size();
                }
            } else {
                StageReplies.fail(message, ErrInfo.of(ErrCode.INVALID_INPUT, "the source session " + address
                        + " was asked for batch " + next.seq() + " but has answered up to batch " + answeredSeq
                        + (pending != null ? " and is reading batch " + pendingSeq : "")
                        + ": pull batches one at a time, in order"));
                return;
            }
        }
        if (ready != null) {
            message.reply(ready);
        } else if (requestFrom != null) {
            requestFrom.request(demand);
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        long demand;
        boolean cancel;
        synchronized (this) {
            upstream = subscription;
            demand = owed;
            owed = 0;
            cancel = closed;
        }
        if (cancel) {
            subscription.cancel(); // closed before the source subscribed: it must not start
        } else if (demand > 0) {
            subscription.request(demand);
        }
    }

    @Override
    public void onNext(Result<RawDoc> item) {
        Message<?> to;
        DocBatch batch;
        synchronized (this) {
            if (collected == null) {
                if (!closed) {
                    LOG.log(Level.WARNING, "source session {0} received a document nobody asked for; dropped: {1}",
                            address, item);
                }
                return;
            }
            collected.add(item);
            if (collected.size() < wanted) {
                return;
            }
            to = pending;
            batch = finish();
        }
        to.reply(batch);
    }

    @Override
    public void onError(Throwable t) {
        Result<RawDoc> err = Result.err(ErrInfo.fromException(ErrCode.IO_ERROR, t).withStage("parse")
                .withMessage("reading " + source.describe() + " failed: " + t + "; the rest of the input is skipped"));
        ended(err);
    }

    @Override
    public void onComplete() {
        ended(null);
    }

    private void ended(Result<RawDoc> err) {
        Message<?> to = null;
        DocBatch batch = null;
        synchronized (this) {
            ended = true;
            if (collected == null) {
                failure = err;
            } else {
                if (err != null) {
                    collected.add(err);
                }
                to = pending;
                batch = finish();
            }
        }
        if (to != null) {
            to.reply(batch);
        }
    }

    /** Ends the batch under way; called holding the lock. */
    private DocBatch finish() {
        DocBatch batch = new DocBatch(pendingSeq, collected, ended, source.counters().bytesRead(), totalBytes);
        answered = batch;
        answeredSeq = pendingSeq;
        pending = null;
        collected = null;
        return batch;
    }

    private void armIdleTimer() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        idleTimer = vertx.setTimer(idleTimeout.toMillis(), id -> {
            LOG.log(Level.WARNING, "source session {0} of job {1} had no request for {2}: closing it and its files",
                    address, jobId, idleTimeout);
            close("idle for " + idleTimeout);
        });
    }
}
