package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Uni;

/**
 * N sessions worked by a pool of exactly N threads: each thread holds one session while it works,
 * so sessions never wait for threads nor threads for sessions. One call spreads its texts over up
 * to N lanes that pull the next text one at a time (batch size 1 per session), and completes on
 * the worker thread that finishes the last text, never on the caller's thread.
 *
 * <p>The pool's queue is bounded; a call that finds it full gets an {@link ErrCode#EMBED_FAILED}.
 */
final class SessionLanes implements AutoCloseable {

    /** Work for one text on one session. */
    @FunctionalInterface
    interface Work {
        float[] apply(OnnxSession session, String text) throws Exception;
    }

    private static final int QUEUE_BOUND = 4096;

    private final BlockingQueue<OnnxSession> idle;
    private final ThreadPoolExecutor workers;
    private final int lanes;

    SessionLanes(List<OnnxSession> sessions, String threadName) {
        this.lanes = sessions.size();
        this.idle = new ArrayBlockingQueue<>(lanes, false, sessions);
        AtomicInteger next = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(lanes, lanes, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE_BOUND),
                task -> {
                    Thread thread = new Thread(task, threadName + "-" + next.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    int lanes() {
        return lanes;
    }

    /** Embeds {@code texts} in order; the first failure completes the call with an {@code Err}. */
    Uni<Result<List<float[]>>> run(List<String> texts, Work work) {
        requireNonNull(texts, "texts");
        requireNonNull(work, "work");
        if (texts.isEmpty()) {
            return Uni.createFrom().item(Result.ok(List.of()));
        }
        return Uni.createFrom().emitter(emitter -> {
            LaneCall call = new LaneCall(texts, work, idle, emitter::complete);
            emitter.onTermination(call::cancel);
            int wanted = Math.min(lanes, texts.size());
            for (int i = 0; i < wanted; i++) {
                try {
                    workers.execute(call::drain);
                } catch (RejectedExecutionException e) {
                    call.fail(workers.isShutdown()
                            ? ErrInfo.of(ErrCode.EMBED_FAILED, "the embedder is closed: create a new one to embed more texts")
                            : ErrInfo.of(ErrCode.EMBED_FAILED, "the embedder's queue is full (" + QUEUE_BOUND
                                    + " waiting tasks): run fewer embed calls at once (at most parallelism())"));
                    return;
                }
            }
        });
    }

    /** Stops taking work, lets queued work finish (up to a minute), then closes every session. */
    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                workers.shutdownNow();
                workers.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        RuntimeException failure = null;
        for (OnnxSession session : idle) {
            try {
                session.close();
            } catch (Exception e) {
                failure = failure == null ? new IllegalStateException("closing an ONNX session failed: " + e, e) : failure;
            }
        }
        idle.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
