package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The indexes a node's index stage writes, one {@link LuceneVectorIndex} per name under the root,
 * shared by every index-stage instance of the {@link StageHost} and the index API (Lucene allows one
 * writer per folder). {@link #index} opens an index on first use ({@link OpenedIndex}: its manifest
 * checked) and lends it for one operation ({@link IndexLease}).
 *
 * <p>At most {@link IndexLimits#maxOpen()} are open: asked for one more, the registry closes the
 * least recently used index no lease holds and opens the new one; only when every open index is
 * leased is the request an {@code UNAVAILABLE} error. An index no lease has held for
 * {@link IndexLimits#idleClose()} is closed by a periodic sweep. An open of a folder waits for a
 * close of the same folder under way (and, at the limit, for every close under way, so no more than
 * {@code maxOpen} writers are ever open). Closing commits: no acknowledged write is lost. The last
 * user to {@link #release()} closes them all.
 *
 * <p>The bookkeeping (which names are open, leased, closing) is a few map updates under the
 * registry's lock; opening and closing run on Vert.x workers, never on an event loop.
 */
final class IndexRegistry {

    private static final Logger LOG = System.getLogger(IndexRegistry.class.getName());
    /** The longest time between two sweeps for idle indexes. */
    private static final Duration MAX_SWEEP_INTERVAL = Duration.ofMinutes(1);

    /** One name's index, open or opening, and how many operations hold it. Guarded by the registry. */
    private static final class Entry {
        private final String name;
        private final Future<Result<OpenedIndex>> opened;
        private int leases;
        private long lastUsed;

        private Entry(String name, Future<Result<OpenedIndex>> opened) {
            this.name = name;
            this.opened = opened;
        }

        /** The open index once opening has succeeded, else null. */
        private OpenedIndex ready() {
            return opened.succeeded() && opened.result() instanceof Ok<OpenedIndex>(OpenedIndex index) ? index : null;
        }
    }

    /** A close decided under the lock, started after it. */
    private record Closing(String name, OpenedIndex opened, String why, Promise<Void> done) {
    }

    private final Vertx vertx;
    /** The context the sweep's timer runs on: the one that made the registry, which outlives the stages. */
    private final Context home;
    private final Path root;
    private final IndexLimits limits;
    private final LongSupplier nanoTime;
    /** {@code idleClose} in nanoseconds (saturated: a duration beyond ~292 years is never reached). */
    private final long idleNanos;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Future<Void>> closes = new HashMap<>();
    private int users;
    private long sweepTimer = -1;
    private volatile boolean stopping;

    IndexRegistry(Vertx vertx, Path root, IndexLimits limits) {
        this(vertx, root, limits, System::nanoTime);
    }

    /** With the clock idleness is measured by (tests move it by hand and call {@link #sweep()}). */
    IndexRegistry(Vertx vertx, Path root, IndexLimits limits, LongSupplier nanoTime) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.root = requireNonNull(root, "root");
        this.limits = requireNonNull(limits, "limits");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime");
        this.home = vertx.getOrCreateContext();
        long nanos;
        try {
            nanos = limits.idleClose().toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        this.idleNanos = nanos;
    }

    /** The folder the indexes are in, one sub-folder per name. */
    Path root() {
        return root;
    }

    /** How many indexes are open now (closing ones included until their close is done). */
    long openCount() {
        return open.get();
    }

    /** One more stage instance uses the registry; the first starts the sweep for idle indexes. */
    void retain() {
        boolean arm;
        synchronized (this) {
            stopping = false;
            users++;
            arm = users == 1 && limits.closesIdle() && sweepTimer < 0;
        }
        if (arm) {
            home.runOnContext(ignored -> armSweep());
        }
    }

    private void armSweep() {
        long every = Math.clamp(idleNanos / 2_000_000, 1, MAX_SWEEP_INTERVAL.toMillis());
        synchronized (this) {
            if (users > 0 && !stopping && sweepTimer < 0) {
                sweepTimer = vertx.setPeriodic(every, ignored -> sweep());
            }
        }
    }

    /** One stage instance stopped; the last one stops the sweep and closes every index (on a worker thread). */
    Future<Void> release() {
        List<Future<?>> pending = new ArrayList<>();
        List<Entry> all;
        synchronized (this) {
            if (--users > 0) {
                return Future.succeededFuture();
            }
            stopping = true;
            if (sweepTimer >= 0) {
                vertx.cancelTimer(sweepTimer);
                sweepTimer = -1;
            }
            all = List.copyOf(entries.values());
            entries.clear();
            pending.addAll(closes.values());
        }
        all.forEach(entry -> pending.add(entry.opened));
        return Future.join(pending).transform(ignored -> vertx.executeBlocking(() -> {
            List<String> failures = new ArrayList<>();
            for (Entry entry : all) {
                OpenedIndex opened = entry.ready();
                if (opened != null) {
                    close(entry.name, opened, "the index stage stopped").ifPresent(failures::add);
                }
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("closing the indexes failed: " + String.join("; ", failures));
            }
            return null;
        }, false));
    }

    /**
     * The index {@code target} names, opened (and its manifest checked) if need be, lent for one
     * operation: an {@code Ok} lease must be released once the operation is done; an {@code Err} (a
     * bad name, a manifest of another embedder, all {@code maxOpen} indexes busy, the stage stopping)
     * or a failed future holds nothing.
     */
    Future<Result<IndexLease>> index(IndexTarget target) {
        requireNonNull(target, "target");
        Optional<ErrInfo> badName = IndexNames.check(target.name());
        if (badName.isPresent()) {
            return Future.succeededFuture(Result.err(badName.get()));
        }
        String name = target.name();
        Entry entry;
        Closing evicted = null;
        Promise<Result<OpenedIndex>> opening = null;
        List<Future<Void>> waits = List.of();
        synchronized (this) {
            if (stopping) {
                return Future.succeededFuture(Result.err(ErrInfo.of(ErrCode.UNAVAILABLE, "the index stage is stopping: "
                        + "index '" + name + "' cannot be written on this node now; retry").withStage("index")));
            }
            entry = entries.get(name);
            if (entry == null) {
                if (entries.size() >= limits.maxOpen()) {
                    Entry unused = leastRecentlyUsedUnleased();
                    if (unused == null) {
                        return Future.succeededFuture(Result.err(busy(name)));
                    }
                    evicted = closeLater(unused, "the least recently used of the " + limits.maxOpen()
                            + " open indexes (index.maxOpen), closed to open '" + name + "'");
                }
                // the folder's own close must end first (one writer per folder); at the limit, every close under way
                waits = entries.size() + closes.size() >= limits.maxOpen() ? List.copyOf(closes.values())
                        : Optional.ofNullable(closes.get(name)).stream().toList();
                opening = Promise.promise();
                entry = new Entry(name, opening.future());
                entries.put(name, entry);
            }
            entry.leases++;
            entry.lastUsed = nanoTime.getAsLong();
        }
        if (evicted != null) {
            start(evicted);
        }
        if (opening != null) {
            open(target, entry, waits, opening);
        }
        Entry held = entry;
        return held.opened.transform(done -> {
            if (done.failed()) {
                unlease(held);
                return Future.failedFuture(done.cause());
            }
            return Future.succeededFuture(switch (done.result().flatMap(opened -> opened.serving(target))) {
                case Ok<LuceneVectorIndex>(LuceneVectorIndex index) -> Result.ok(new IndexLease(index, () -> unlease(held)));
                case Err<LuceneVectorIndex>(ErrInfo error) -> {
                    unlease(held);
                    yield Result.err(error);
                }
            });
        });
    }

    /** Closes every open index no lease has held for {@code index.idleClose}; the periodic sweep calls it. */
    void sweep() {
        if (!limits.closesIdle()) {
            return;
        }
        List<Closing> idle = new ArrayList<>();
        synchronized (this) {
            if (stopping) {
                return;
            }
            long now = nanoTime.getAsLong();
            for (Entry entry : List.copyOf(entries.values())) {
                if (entry.leases == 0 && entry.ready() != null && now - entry.lastUsed >= idleNanos) {
                    idle.add(closeLater(entry, "unused for " + limits.idleClose() + " (index.idleClose)"));
                }
            }
        }
        idle.forEach(this::start);
    }

    private ErrInfo busy(String name) {
        return ErrInfo.of(ErrCode.UNAVAILABLE, "cannot open the index '" + name + "': all " + limits.maxOpen()
                + " open indexes are busy (index.maxOpen is " + limits.maxOpen() + "; an index no operation uses is "
                + "closed to make room); retry shortly, or ask the operator to raise index.maxOpen").withStage("index");
    }

    /** Under the lock: the open index no lease holds that was used longest ago, or null. */
    private Entry leastRecentlyUsedUnleased() {
        Entry oldest = null;
        for (Entry entry : entries.values()) {
            if (entry.leases == 0 && entry.ready() != null && (oldest == null || entry.lastUsed - oldest.lastUsed < 0)) {
                oldest = entry;
            }
        }
        return oldest;
    }

    /** Under the lock: takes {@code entry} out of the open indexes and marks its folder closing. */
    private Closing closeLater(Entry entry, String why) {
        entries.remove(entry.name, entry);
        Promise<Void> done = Promise.promise();
        closes.put(entry.name, done.future());
        return new Closing(entry.name, entry.ready(), why, done);
    }

    private void start(Closing closing) {
        vertx.executeBlocking(() -> close(closing.name(), closing.opened(), closing.why()), false).onComplete(ignored -> {
            synchronized (this) {
                closes.remove(closing.name(), closing.done().future());
            }
            closing.done().complete();
        });
    }

    private void unlease(Entry entry) {
        synchronized (this) {
            entry.leases--;
            entry.lastUsed = nanoTime.getAsLong();
        }
    }

    private void open(IndexTarget target, Entry entry, List<Future<Void>> waits, Promise<Result<OpenedIndex>> opening) {
        Future.join(waits).transform(ignored -> vertx.executeBlocking(() -> open(target), false)).onComplete(done -> {
            if (done.failed() || done.result() instanceof Err<OpenedIndex>) {
                synchronized (this) {
                    entries.remove(target.name(), entry); // a later request may try again (after the cause is fixed)
                }
            }
            opening.handle(done);
        });
    }

    /** Opens the index on a worker; an index opened while the stage stopped is closed again. */
    private Result<OpenedIndex> open(IndexTarget target) {
        Result<OpenedIndex> opened = OpenedIndex.open(root, target);
        if (opened instanceof Ok<OpenedIndex>(OpenedIndex index)) {
            open.incrementAndGet();
            if (stopping) {
                close(target.name(), index, "the index stage stopped while it was opening");
                return Result.err(ErrInfo.of(ErrCode.UNAVAILABLE, "the index stage stopped while the index '"
                        + target.name() + "' was opening; retry").withStage("index"));
            }
            LOG.log(Level.INFO, "opened index ''{0}'' at {1} for {2} ({3} dims)", target.name(), index.index().path(),
                    target.embedder(), target.dimensions());
        }
        return opened;
    }

    /** Closes (and so commits) the index, logging why; the failure's description if it fails. */
    private Optional<String> close(String name, OpenedIndex opened, String why) {
        try {
            opened.index().close();
            LOG.log(Level.INFO, "closed index ''{0}'' at {1}: {2}", name, opened.index().path(), why);
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "closing the index '" + name + "' at " + opened.index().path() + " (" + why
                    + ") failed: " + e, e);
            return Optional.of(opened.index().path() + ": " + e.getMessage());
        } finally {
            open.decrementAndGet();
        }
    }
}
