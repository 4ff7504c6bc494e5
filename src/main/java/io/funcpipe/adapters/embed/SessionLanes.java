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
 * N lanes of one session worked by a pool of exactly N threads: each thread holds one lane while it
 * works, so lanes never wait for threads nor threads for lanes. One call spreads its texts over up
 * to N lanes that pull the next text one at a time (batch size 1 per lane), and completes on the
 * worker thread that finishes the last text, never on the caller's thread.
 *
 * <p>The pool's queue is bounded; a call that finds it full gets an {@link ErrCode#EMBED_FAILED}.
 */
final class SessionLanes implements AutoCloseable {

    /** Work for one text on one lane. */
    @FunctionalInterface
    interface Work {
        float[] apply(OnnxSession.Lane lane, String text) throws Exception;
    }

    private static final int QUEUE_BOUND = 4096;

    private final OnnxSession session;
    private final BlockingQueue<OnnxSession.Lane> idle;
    private final ThreadPoolExecutor workers;
    private final int lanes;

    /** {@code lanes} lanes of {@code session}, which this closes on {@link #close()}. */
    SessionLanes(OnnxSession session, int lanes, String threadName) {
        this.session = requireNonNull(session, "session");
        if (lanes <= 0) {
            throw new IllegalArgumentException("lanes must be positive, got " + lanes);
        }
        this.lanes = lanes;
        this.idle = new ArrayBlockingQueue<>(lanes);
        for (int i = 0; i < lanes; i++) {
            idle.add(session.lane());
        }
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

    /** Stops taking work, lets queued work finish (up to a minute), then closes the session. */
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
        idle.clear();
        if (!workers.isTerminated()) {
            // a native run may still use the session: closing it now could crash the process
            throw new IllegalStateException("an embedding still ran 70 s after close(); its ONNX session is left open");
        }
        try {
            session.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the ONNX session failed: " + e, e);
        }
    }
}
