package io.funcpipe.adapters.embed;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;

/**
 * One {@link SessionLanes#run} call in progress: lanes pull the next text index, write its vector
 * into its slot, and the lane that fills the last slot delivers the list. Delivered exactly once.
 */
final class LaneCall {

    private final List<String> texts;
    private final SessionLanes.Work work;
    private final BlockingQueue<OnnxSession.Lane> idle;
    private final Consumer<Result<List<float[]>>> deliver;
    private final float[][] vectors;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();

    LaneCall(List<String> texts, SessionLanes.Work work, BlockingQueue<OnnxSession.Lane> idle,
             Consumer<Result<List<float[]>>> deliver) {
        this.texts = texts;
        this.work = work;
        this.idle = idle;
        this.deliver = deliver;
        this.vectors = new float[texts.size()][];
    }

    /** Runs on a worker thread: holds one lane and embeds texts until none is left. */
    void drain() {
        if (finished.get()) {
            return;
        }
        OnnxSession.Lane lane = idle.poll();
        if (lane == null) {
            fail(ErrInfo.of(ErrCode.EMBED_FAILED, "no idle ONNX session lane for a worker thread (the embedder is closing)"));
            return;
        }
        int i = -1;
        try {
            while (!finished.get() && (i = next.getAndIncrement()) < vectors.length) {
                vectors[i] = work.apply(lane, texts.get(i));
                if (done.incrementAndGet() == vectors.length && finished.compareAndSet(false, true)) {
                    deliver.accept(Result.ok(List.of(vectors)));
                }
            }
        } catch (Exception | LinkageError e) {
            fail(ErrInfo.fromException(ErrCode.EMBED_FAILED, e)
                    .withMessage("embedding text #" + i + " of " + vectors.length + " in the batch failed: " + e));
        } finally {
            idle.offer(lane);
        }
    }

    void fail(ErrInfo error) {
        if (finished.compareAndSet(false, true)) {
            deliver.accept(Result.err(error));
        }
    }

    /** The subscriber went away: lanes stop after their current text. */
    void cancel() {
        finished.set(true);
    }
}
