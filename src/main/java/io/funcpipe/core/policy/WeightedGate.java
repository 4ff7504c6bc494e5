package io.funcpipe.core.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.core.SerialDrain;
import io.smallrye.common.annotation.CheckReturnValue;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * A fixed number of permits (for example embed batches in flight) shared by several jobs in
 * proportion to their weights ({@link Fairness#weight()}). A call {@link #guard guarded} by the gate
 * runs once it holds a permit and gives it back when it ends, fails or is cancelled. When a permit
 * frees and several jobs wait, it goes to the waiting job with the least {@code served / weight}
 * (stride scheduling: each grant adds {@code 1 / weight} to the job's pass, the smallest pass goes
 * next; ties go to the call that has waited longest). While every job has calls waiting, a job of
 * weight 2 gets twice the grants of a job of weight 1, and a small job that arrives beside a large
 * one gets its share at once instead of queueing behind the large job's backlog.
 *
 * <p>A job that stops waiting banks no credit: when it waits again, its pass is raised to the pass
 * of the latest grant, so it cannot burst past the others; nor does it start behind them.
 *
 * <p>Thread-safe and non-blocking: state is guarded by {@code this}; calls are started outside the
 * lock, by one drain loop at a time (so a long queue of calls that complete at once does not grow
 * the stack). Nothing here knows about threads or event loops: a call runs where its permit was
 * freed or where it was opened.
 */
public final class WeightedGate {

    private final int capacity;
    private final Map<String, Share> shares = new HashMap<>();
    private final SerialDrain drainLoop = new SerialDrain(this::pass);
    private int inUse;
    private long sequence;
    private double virtualTime;

    private WeightedGate(int capacity) {
        this.capacity = capacity;
    }

    /** A gate with {@code capacity} permits (>= 1). */
    public static WeightedGate of(int capacity) {
        Validate.atLeast(capacity, 1, "capacity");
        return new WeightedGate(capacity);
    }

    /**
     * {@code call} run under a permit of this gate, on behalf of {@code jobId} with {@code weight}.
     * Each opening of the returned plan waits for its own permit; cancelling it while it waits
     * takes its place out of the queue, cancelling it while it runs cancels the call and frees the
     * permit. A job's latest weight counts.
     *
     * @throws IllegalArgumentException when {@code weight < 1}
     */
    @CheckReturnValue
    public <T> AsyncPlan<T> guard(String jobId, int weight, AsyncPlan<T> call) {
        requireNonNull(jobId, "jobId");
        requireNonNull(call, "call");
        Validate.atLeast(weight, 1, "weight");
        return AsyncPlan.defer(() -> Uni.createFrom().<Result<T>>emitter(emitter -> {
            Ticket<T> ticket = new Ticket<>(call, emitter);
            emitter.onTermination(ticket::terminate);
            enqueue(jobId, weight, ticket);
            drain();
        }));
    }

    /**
     * The job will make no more calls: its waiting calls end at once with an
     * {@link ErrCode#UNAVAILABLE} {@code Err} (they never run), its share is forgotten, and calls
     * still running keep their permits until they end. A later {@link #guard} call for the same id
     * starts a fresh share.
     */
    public void leave(String jobId) {
        requireNonNull(jobId, "jobId");
        List<Ticket<?>> dropped;
        synchronized (this) {
            Share share = shares.remove(jobId);
            if (share == null) {
                return;
            }
            dropped = new ArrayList<>(share.waiting);
            share.waiting.clear();
            dropped.forEach(t -> t.state = State.DONE);
        }
        ErrInfo left = ErrInfo.of(ErrCode.UNAVAILABLE, "job " + jobId + " left the gate before this call got a permit; "
                + "the call was not run");
        dropped.forEach(t -> t.refuse(left));
    }

    /** The number of permits. */
    public int capacity() {
        return capacity;
    }

    /** Permits held right now (calls running under the gate). */
    public synchronized int inUse() {
        return inUse;
    }

    /** Calls waiting for a permit right now, over every job. */
    public synchronized int waiting() {
        int n = 0;
        for (Share share : shares.values()) {
            n += share.waiting.size();
        }
        return n;
    }

    /** What the gate knows of one job now; zeros for a job it does not know (or that left). */
    public synchronized JobShare share(String jobId) {
        Share share = shares.get(requireNonNull(jobId, "jobId"));
        return share == null ? new JobShare(0, 0, 0, 0) : new JobShare(share.weight, share.granted, share.waiting.size(),
                share.running);
    }

    /**
     * One job's view of the gate.
     *
     * @param weight  the job's latest weight (0 when unknown)
     * @param granted permits granted to it so far
     * @param waiting its calls waiting for a permit
     * @param running its calls holding a permit
     */
    public record JobShare(int weight, long granted, int waiting, int running) {
    }

    // ---------------------------------------------------------------- internals

    private synchronized void enqueue(String jobId, int weight, Ticket<?> ticket) {
        if (ticket.state == State.DONE) {
            return; // cancelled before it could queue
        }
        Share share = shares.computeIfAbsent(jobId, id -> new Share());
        share.weight = weight;
        if (share.waiting.isEmpty()) {
            share.pass = Math.max(share.pass, virtualTime);
        }
        ticket.share = share;
        ticket.order = sequence++;
        share.waiting.add(ticket);
    }

    /** Grants free permits to the waiting calls that are furthest behind their share, then starts them. */
    private void drain() {
        drainLoop.run();
    }

    /** One round of the drain loop ({@link SerialDrain}); false once the operator has terminated. */
    private boolean pass() {
        Ticket<?> next;
        while ((next = grantNext()) != null) {
            next.start();
        }
        return true;
    }

    private synchronized Ticket<?> grantNext() {
        if (inUse >= capacity) {
            return null;
        }
        Share best = null;
        for (Share share : shares.values()) {
            if (!share.waiting.isEmpty() && (best == null || share.pass < best.pass
                    || (share.pass == best.pass && share.waiting.peek().order < best.waiting.peek().order))) {
                best = share;
            }
        }
        if (best == null) {
            return null;
        }
        Ticket<?> ticket = best.waiting.poll();
        virtualTime = best.pass;
        best.pass += 1.0 / best.weight;
        best.granted++;
        best.running++;
        inUse++;
        ticket.state = State.RUNNING;
        return ticket;
    }

    /** Gives back a running ticket's permit; true if it was running. Caller holds the lock. */
    private boolean release(Ticket<?> ticket) {
        if (ticket.state != State.RUNNING) {
            return false;
        }
        ticket.state = State.DONE;
        ticket.share.running--;
        inUse--;
        return true;
    }

    private enum State { WAITING, RUNNING, DONE }

    /** One job's place: its weight, its pass (virtual time of its next grant) and its waiting calls. */
    private static final class Share {
        final ArrayDeque<Ticket<?>> waiting = new ArrayDeque<>();
        int weight = 1;
        double pass;
        long granted;
        int running;
    }

    /** One opening of a guarded call: waiting, then running under a permit, then done. Guarded by the gate. */
    private final class Ticket<T> {
        private final AsyncPlan<T> call;
        private final UniEmitter<? super Result<T>> emitter;
        State state = State.WAITING;
        Share share;
        long order;
        private Cancellable inner;

        Ticket(AsyncPlan<T> call, UniEmitter<? super Result<T>> emitter) {
            this.call = call;
            this.emitter = emitter;
        }

        /** Runs the call; it was granted a permit (unless cancelled since). */
        void start() {
            synchronized (WeightedGate.this) {
                if (state != State.RUNNING) {
                    return;
                }
            }
            Cancellable subscription = call.open().subscribe().with(this::complete, this::fail);
            boolean cancelled;
            synchronized (WeightedGate.this) {
                cancelled = state == State.DONE;
                if (!cancelled) {
                    inner = subscription;
                }
            }
            if (cancelled) {
                subscription.cancel();
            }
        }

        private void complete(Result<T> result) {
            boolean mine;
            synchronized (WeightedGate.this) {
                mine = release(this);
            }
            if (mine) {
                emitter.complete(result);
                drain();
            }
        }

        private void fail(Throwable failure) {
            boolean mine;
            synchronized (WeightedGate.this) {
                mine = release(this);
            }
            if (mine) {
                emitter.fail(failure);
                drain();
            }
        }

        /** Ends a waiting ticket with {@code error} (its job left); it holds no permit. */
        void refuse(ErrInfo error) {
            emitter.complete(Result.err(error));
        }

        /** The subscriber cancelled (or the ticket completed): leave the queue or free the permit. */
        void terminate() {
            Cancellable toCancel = null;
            boolean freed = false;
            synchronized (WeightedGate.this) {
                if (state == State.WAITING) {
                    if (share != null) {
                        share.waiting.remove(this);
                    }
                    state = State.DONE;
                } else if (release(this)) {
                    freed = true;
                    toCancel = inner;
                }
            }
            if (toCancel != null) {
                toCancel.cancel();
            }
            if (freed) {
                drain();
            }
        }
    }
}
