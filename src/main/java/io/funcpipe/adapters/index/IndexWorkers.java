package io.funcpipe.adapters.index;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Uni;

/**
 * The index's own small pool: blocking Lucene calls run here, never on the caller's thread, and
 * come back as plans whose failures are {@link ErrCode#INDEX_FAILED} errors naming the call and
 * the index directory. The queue is bounded.
 */
final class IndexWorkers implements AutoCloseable {

    private static final int THREADS = 2;
    private static final int QUEUE_BOUND = 1024;

    private final Path where;
    private final ThreadPoolExecutor pool;

    IndexWorkers(Path where) {
        this.where = where;
        AtomicInteger next = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_BOUND),
                task -> {
                    Thread thread = new Thread(task, "funcpipe-lucene-" + next.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** A plan that runs {@code work} on this pool each time it is opened; {@code what} names it in errors. */
    <T> AsyncPlan<T> plan(String what, Callable<Result<T>> work) {
        return AsyncPlan.defer(() -> Uni.createFrom().emitter(emitter -> {
            try {
                pool.execute(() -> emitter.complete(attempt(what, work)));
            } catch (RejectedExecutionException e) {
                emitter.complete(Result.err(failure(what, pool.isShutdown()
                        ? "the index is closed: open it again"
                        : "the index's queue is full (" + QUEUE_BOUND + " waiting calls): run fewer calls at once")));
            }
        }));
    }

    /** An {@link ErrCode#INDEX_FAILED} error: what failed, where, and why. */
    ErrInfo failure(String what, String why) {
        return ErrInfo.of(ErrCode.INDEX_FAILED, what + " in the index at " + where + " failed: " + why);
    }

    private <T> Result<T> attempt(String what, Callable<Result<T>> work) {
        try {
            Result<T> result = work.call();
            return result == null ? Result.err(failure(what, "no result")) : result;
        } catch (Exception e) {
            return Result.err(failure(what, e.toString()).withDetail("exception", e.getClass().getName()));
        }
    }

    /** Lets queued calls finish (up to a minute), then stops the threads. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
