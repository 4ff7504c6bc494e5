package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.funcpipe.adapters.source.InputUnread;
import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.IngestCounters;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * One job's pipeline stream, subscribed: items are requested and consumed on worker threads (never
 * on the supervisor's event loop, since sources read files and the errors log writes them); each
 * {@code Err} item goes to the job's {@link JobErrors}; an {@code Err} without a stage (the
 * per-stream deadline's {@code TIMEOUT}) is the job's own failure. The end (completion, failure or
 * cancellation) is reported once, on the supervisor's context.
 */
final class JobRun {

    /** How the stream ended. */
    sealed interface End permits Completed, Failed, Cancelled {
    }

    /** Every item was produced; the job's error, if any, is {@link #jobError()}. */
    record Completed() implements End {
    }

    /** The stream failed (an infrastructure fault, not an item error). */
    record Failed(Throwable failure) implements End {
    }

    /** The stream was cancelled before it ended. */
    record Cancelled() implements End {
    }

    private final IngestCounters counters;
    private final JobErrors errors;
    private final Context context;
    private final Promise<End> end = Promise.promise();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<ErrInfo> jobError = new AtomicReference<>();
    private Cancellable subscription;
    private long startNanos;
    private long endNanos;

    JobRun(IngestCounters counters, JobErrors errors, Context context) {
        this.counters = requireNonNull(counters, "counters");
        this.errors = requireNonNull(errors, "errors");
        this.context = requireNonNull(context, "context");
    }

    /** Subscribes {@code stream}, requesting and consuming on {@code worker}. Call on the context, once. */
    void start(AsyncGen<Chunk> stream, Executor worker) {
        startNanos = System.nanoTime();
        subscription = stream.open()
                .runSubscriptionOn(worker)
                .emitOn(worker)
                .subscribe().with(this::onItem, failure -> signal(new Failed(failure)), () -> signal(new Completed()));
    }

    /** Cancels the stream (releasing its source); the end is {@link Cancelled} unless it had ended already. Call on the context. */
    void cancel() {
        if (ended.compareAndSet(false, true)) {
            endNanos = System.nanoTime();
            if (subscription != null) {
                subscription.cancel();
            }
            end.complete(new Cancelled());
        }
    }

    /** Completes once, on the context, with how the stream ended. */
    Future<End> end() {
        return end.future();
    }

    /** Whether the stream was subscribed. */
    boolean started() {
        return startNanos != 0;
    }

    /** The first {@code Err} without a stage (the job's own failure), or null. */
    ErrInfo jobError() {
        return jobError.get();
    }

    IngestCounters counters() {
        return counters;
    }

    JobErrors errors() {
        return errors;
    }

    /** Seconds the stream has run, until it ended. */
    double seconds() {
        if (startNanos == 0) {
            return 0;
        }
        return ((endNanos != 0 ? endNanos : System.nanoTime()) - startNanos) / 1e9;
    }

    private void onItem(io.funcpipe.core.Result<Chunk> item) {
        if (item instanceof Err<Chunk>(ErrInfo e)) {
            if (e.stage().isEmpty() || InputUnread.marks(e)) {
                jobError.compareAndSet(null, e);
            }
            errors.add(e);
        }
    }

    private void signal(End how) {
        long now = System.nanoTime();
        context.runOnContext(ignored -> {
            if (ended.compareAndSet(false, true)) {
                endNanos = now;
                end.complete(how);
            }
        });
    }
}
