package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The indexes a node's index stage writes, one {@link LuceneVectorIndex} per name under the root,
 * opened on first use and kept open (at most {@code maxOpen} at once: one more is an
 * {@code UNAVAILABLE} error naming {@code index.maxOpen}), shared by every index-stage instance of the {@link StageHost}
 * (Lucene allows one writer per folder). Each is opened with its {@link IndexManifest}: a new index
 * gets the manifest of the first request's embedder; an existing one must match it. The last
 * instance to stop closes them all (which commits them).
 */
final class IndexRegistry {

    private static final Logger LOG = System.getLogger(IndexRegistry.class.getName());

    /** An index held open, with the manifest it was opened for. */
    record Opened(LuceneVectorIndex index, IndexManifest manifest) {
    }

    private final Vertx vertx;
    private final Path root;
    private final int maxOpen;
    private final ConcurrentMap<String, Future<Result<Opened>>> indexes = new ConcurrentHashMap<>();
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closing;

    IndexRegistry(Vertx vertx, Path root, int maxOpen) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.root = requireNonNull(root, "root");
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen must be >= 1, got " + maxOpen);
        }
        this.maxOpen = maxOpen;
    }

    /** The folder the indexes are in, one sub-folder per name. */
    Path root() {
        return root;
    }

    /** How many indexes are open now. */
    long openCount() {
        return open.get();
    }

    /** One more stage instance uses the registry. */
    void retain() {
        closing = false;
        users.incrementAndGet();
    }

    /** One stage instance stopped; the last one closes every index (on a worker thread). */
    Future<Void> release() {
        if (users.decrementAndGet() > 0) {
            return Future.succeededFuture();
        }
        closing = true;
        List<Future<Result<Opened>>> all = new ArrayList<>(indexes.values());
        indexes.clear();
        return Future.join(all).transform(ignored -> vertx.executeBlocking(() -> {
            List<String> failures = new ArrayList<>();
            for (Future<Result<Opened>> f : all) {
                if (f.succeeded() && f.result() instanceof Ok<Opened>(Opened opened)) {
                    close(opened).ifPresent(failures::add);
                }
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("closing the indexes failed: " + String.join("; ", failures));
            }
            return null;
        }, false));
    }

    /** The index {@code target} names, opened (and its manifest checked) if need be. */
    Future<Result<LuceneVectorIndex>> index(IndexTarget target) {
        Optional<ErrInfo> badName = IndexNames.check(target.name());
        if (badName.isPresent()) {
            return Future.succeededFuture(Result.err(badName.get()));
        }
        if (closing) {
            return Future.succeededFuture(Result.err(ErrInfo.of(ErrCode.UNAVAILABLE, "the index stage is stopping: "
                    + "index '" + target.name() + "' cannot be written on this node now; retry").withStage("index")));
        }
        if (!indexes.containsKey(target.name()) && indexes.size() >= maxOpen) {
            return Future.succeededFuture(Result.err(ErrInfo.of(ErrCode.UNAVAILABLE, "cannot open the index '"
                    + target.name() + "': " + indexes.size() + " indexes are open on this node, the limit "
                    + "(index.maxOpen is " + maxOpen + "); write to an open index, or ask the operator to raise "
                    + "index.maxOpen").withStage("index")));
        }
        Future<Result<Opened>> opening = indexes.computeIfAbsent(target.name(),
                name -> vertx.executeBlocking(() -> open(target), false));
        return opening.map(result -> {
            if (result instanceof Err<Opened>) {
                indexes.remove(target.name(), opening); // a later request may try again (after the cause is fixed)
            }
            return result.flatMap(opened -> compatible(opened, target));
        });
    }

    private Result<LuceneVectorIndex> compatible(Opened opened, IndexTarget target) {
        IndexManifest wanted = new IndexManifest(target.embedder(), target.dimensions());
        if (opened.manifest().equals(wanted)) {
            return Result.ok(opened.index());
        }
        return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "the index '" + target.name() + "' at "
                + opened.index().path() + " holds vectors of embedder '" + opened.manifest().embedder() + "' ("
                + opened.manifest().dimensions() + " dims) but this request brings '" + target.embedder() + "' ("
                + target.dimensions() + " dims): run the job with the index's embedder, or write another index")
                .withStage("index"));
    }

    private Result<Opened> open(IndexTarget target) {
        Path dir = root.resolve(target.name());
        IndexManifest wanted;
        try {
            wanted = new IndexManifest(target.embedder(), target.dimensions());
        } catch (IllegalArgumentException e) {
            return Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, "cannot open the index '" + target.name() + "': "
                    + e.getMessage()).withStage("index"));
        }
        try {
            Optional<IndexManifest> existing = IndexManifest.read(dir);
            if (existing.isPresent()) {
                existing.get().requireCompatible(wanted, dir);
            }
        } catch (IOException | IllegalArgumentException e) {
            return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "cannot write the index '" + target.name() + "': "
                    + e.getMessage()).withStage("index"));
        }
        Result<LuceneVectorIndex> opened = LuceneVectorIndex.open(dir, target.dimensions());
        if (opened instanceof Ok<LuceneVectorIndex>(LuceneVectorIndex index)) {
            try {
                wanted.write(dir);
            } catch (IOException e) {
                index.close();
                return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "cannot write the manifest of the index '"
                        + target.name() + "' at " + dir + ": " + e.getMessage()).withStage("index"));
            }
            open.incrementAndGet();
            if (closing) {
                close(new Opened(index, wanted));
                return Result.err(ErrInfo.of(ErrCode.UNAVAILABLE, "the index stage stopped while the index '"
                        + target.name() + "' was opening; retry").withStage("index"));
            }
            LOG.log(Level.INFO, "opened index ''{0}'' at {1} for {2} ({3} dims)", target.name(), dir,
                    target.embedder(), target.dimensions());
        }
        return opened.map(index -> new Opened(index, wanted)).mapErr(e -> e.stage().isEmpty() ? e.withStage("index") : e);
    }

    /** Closes (and so commits) the index; the failure's description if it fails. */
    private Optional<String> close(Opened opened) {
        try {
            opened.index().close();
            LOG.log(Level.INFO, "closed index at {0}", opened.index().path());
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "closing the index at " + opened.index().path() + " failed: " + e, e);
            return Optional.of(opened.index().path() + ": " + e.getMessage());
        } finally {
            open.decrementAndGet();
        }
    }
}
