package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The bounded pool documents are parsed on ({@value #NAME}-N threads, as many as cores, at least
 * two; daemon; idle ones end after 30 s), so a parse never runs on the caller's thread, let alone
 * an event loop. The caller blocks until its parse is done: each reading stream has at most one
 * parse in flight, so the queue holds at most one task per open stream.
 *
 * <p>Time limit: a task gets {@code limit} to start (all workers busy) and then {@code limit} to
 * finish. Past it the caller gets {@link TimedOut} at once and the task is abandoned: its abort
 * flag is set (the {@link DocumentHandler} throws at the parser's next event), and its thread is
 * interrupted (an interrupted file channel closes, so the parser's next read fails). A parser that
 * neither emits, reads nor checks interrupts keeps its worker until it returns by itself; the
 * pool is bounded, so at most {@link #THREADS} such parses exist, and while every worker is held
 * the next documents time out waiting for one instead of piling up threads.
 */
final class ParseWorkers {

    static final String NAME = "funcpipe-parse";
    static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private static final ThreadPoolExecutor POOL = pool();

    /** A parse: it should stop soon once {@code aborted} turns true. */
    @FunctionalInterface
    interface Task<T> {
        T run(BooleanSupplier aborted) throws Exception;
    }

    /** The time limit passed; {@code started} tells whether a worker had taken the task. */
    static final class TimedOut extends Exception {
        private final boolean started;

        TimedOut(boolean started) {
            super(started ? "parsing ran past its time limit" : "no parse worker became free within the time limit");
            this.started = started;
        }

        boolean started() {
            return started;
        }
    }

    private ParseWorkers() {
    }

    /** Parses running on the pool right now (abandoned ones included, until they end). */
    static int active() {
        return POOL.getActiveCount();
    }

    /**
     * Runs {@code task} on a worker and returns its value.
     *
     * @throws TimedOut             past the limit (the task is abandoned)
     * @throws ExecutionException   the task threw (its cause)
     * @throws InterruptedException the caller was interrupted (the task is abandoned)
     */
    static <T> T call(Task<T> task, Duration limit) throws TimedOut, ExecutionException, InterruptedException {
        requireNonNull(task, "task");
        requireNonNull(limit, "limit");
        AtomicBoolean aborted = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        FutureTask<T> future = new FutureTask<>(() -> {
            started.countDown();
            return task.run(aborted::get);
        });
        POOL.execute(future);
        long nanos = limit.toNanos();
        try {
            if (!started.await(nanos, TimeUnit.NANOSECONDS)) {
                abandon(future, aborted);
                throw new TimedOut(false);
            }
            return future.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(future, aborted);
            throw new TimedOut(true);
        } catch (InterruptedException e) {
            abandon(future, aborted);
            throw e;
        }
    }

    private static void abandon(FutureTask<?> future, AtomicBoolean aborted) {
        aborted.set(true);
        future.cancel(true);
    }

    private static ThreadPoolExecutor pool() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, NAME + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
