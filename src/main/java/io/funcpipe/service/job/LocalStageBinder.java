package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.funcpipe.adapters.embed.EmbeddingModel;
import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.adapters.source.SourceCounters;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.SourceSet;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.rag.Embedder;
import io.funcpipe.rag.IngestStages;
import io.funcpipe.rag.Preparation;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.clean.Cleaner;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Binds a run's stages in this process: its sources ({@link Sources#open}, confined to the input
 * roots), cleaning and chunking (with the model's tokenizer) on Mutiny's worker pool, the shared
 * embedder behind the run's embed guard, and a {@link LuceneVectorIndex} (with its manifest, so an
 * index is never fed by two models). The supervisor binds jobs with it ({@link #bind}: the index is
 * {@code <indexRoot>/<index>}), and {@code funcpipe ingest} binds its one run with it
 * ({@link #open(Run, UnaryOperator)}), so the supervisor's tests exercise the binding users run.
 * The embedding model is shared by every run and owned by the caller, who closes it last.
 *
 * <p>It counts what it holds ({@link #openIndexes()}, {@link #openSourceHandles()},
 * {@link #boundJobs()}), so a test or a health check can see that a job released everything.
 */
public final class LocalStageBinder implements StageBinder {

    private static final System.Logger LOG = System.getLogger(LocalStageBinder.class.getName());

    private final Supplier<Vertx> vertx;
    private final List<Path> inputRoots;
    private final Path indexRoot;
    private final EmbeddingModel model;
    private final AtomicInteger openIndexes = new AtomicInteger();
    /** The source counters of bound jobs, and of released jobs whose sources still hold a handle. */
    private final Map<String, SourceCounters> sources = new ConcurrentHashMap<>();
    private final Set<String> bound = ConcurrentHashMap.newKeySet();

    /**
     * @param inputRoots the folders files may be read from (the supervisor's input roots)
     * @param indexRoot  the folder that holds one folder per index
     * @param model      the embedder and the tokenizer that sizes its chunks, shared by every job
     */
    public LocalStageBinder(Vertx vertx, List<Path> inputRoots, Path indexRoot, EmbeddingModel model) {
        this(supplied(requireNonNull(vertx, "vertx")), inputRoots, indexRoot, model);
    }

    /**
     * A binder that asks {@code vertx} for its Vert.x instance only when a run needs one: to read a
     * URL, or for the supervisor's {@link #bind} and {@link BoundJob#release}. A command line that
     * reads files with an in-process model never starts one.
     */
    public LocalStageBinder(Supplier<Vertx> vertx, List<Path> inputRoots, Path indexRoot, EmbeddingModel model) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.inputRoots = List.copyOf(requireNonNull(inputRoots, "inputRoots"));
        this.indexRoot = requireNonNull(indexRoot, "indexRoot");
        this.model = requireNonNull(model, "model");
    }

    /**
     * What one local run reads and writes.
     *
     * @param key      the run's key (a job id, or an ingest key), for logs and the binder's counts
     * @param inputs   files, folders or http(s) URLs
     * @param sources  how to read them (format, globs, fields, limits, roots)
     * @param chunking chunk size and overlap in the model's tokens
     * @param index    the index folder
     */
    public record Run(String key, List<String> inputs, SourceOptions sources, ChunkerOptions chunking, Path index) {
        public Run {
            requireNonNull(key, "key");
            inputs = List.copyOf(inputs);
            requireNonNull(sources, "sources");
            requireNonNull(chunking, "chunking");
            requireNonNull(index, "index");
        }
    }

    /**
     * A run's bound stages with the local pieces a command line reports on: the sources and the
     * index. {@link #release()} releases them on the calling thread, as {@code job().release()}
     * does on a Vert.x worker.
     */
    public record Local(BoundJob job, SourceSet sources, LuceneVectorIndex index, Runnable releaser) {

        /** Releases the run's sources and index now, on this thread (blocking); idempotent. */
        public void release() {
            releaser.run();
        }
    }

    private static Supplier<Vertx> supplied(Vertx vertx) {
        return () -> vertx;
    }

    @Override
    public Future<BoundJob> bind(String jobId, JobSpec spec, UnaryOperator<AsyncPlan<List<float[]>>> embedGuard) {
        requireNonNull(jobId, "jobId");
        requireNonNull(spec, "spec");
        requireNonNull(embedGuard, "embedGuard");
        Run run = new Run(jobId, spec.sources(), SourceOptions.defaults().withFormat(spec.format())
                .withCsv(spec.fields()).withJsonl(spec.fields()).withRoots(inputRoots),
                new ChunkerOptions(spec.chunking().maxTokens(), spec.chunking().overlap()), indexRoot.resolve(spec.index()));
        return vertx.get().executeBlocking(() -> open(run, embedGuard).job(), false);
    }

    /** Indexes open now. */
    public int openIndexes() {
        return openIndexes.get();
    }

    /** Files and connections the sources of bound (or leaking) jobs hold open now. */
    public long openSourceHandles() {
        return sources.values().stream().mapToLong(SourceCounters::openHandles).sum();
    }

    /** Jobs bound and not yet released. */
    public int boundJobs() {
        return bound.size();
    }

    /**
     * Opens {@code run}'s sources, index and stages on the calling thread (blocking: not an event
     * loop). Fails with an {@link IllegalArgumentException} for bad inputs or options (what, where,
     * how to fix) and an {@link IllegalStateException} when the index cannot be used (another
     * embedder's, locked, unreadable); what was opened is closed again.
     */
    public Local open(Run run, UnaryOperator<AsyncPlan<List<float[]>>> embedGuard) throws Exception {
        requireNonNull(run, "run");
        requireNonNull(embedGuard, "embedGuard");
        Embedder embedder = model.embedder();
        Path dir = run.index();
        IndexManifest manifest = new IndexManifest(embedder.name(), embedder.dimensions());
        IndexManifest.read(dir).ifPresent(existing -> existing.requireCompatible(manifest, dir));
        Chunker chunker = new Chunker(model.tokenizer(), run.chunking());
        SourceSet source = Sources.open(run.inputs(), run.sources(),
                run.inputs().stream().anyMatch(Sources::isUrl) ? vertx.get() : null);
        long totalBytes = source.totalBytes();
        LuceneVectorIndex index = LuceneVectorIndex.open(dir, embedder.dimensions()).fold(i -> i, e -> {
            throw new IllegalStateException(e.message());
        });
        openIndexes.incrementAndGet();
        try {
            manifest.write(dir);
        } catch (Exception e) {
            closeIndex(index);
            throw e;
        }
        String key = run.key();
        sources.put(key, source.counters());
        bound.add(key);
        IngestStages stages = new IngestStages(source, offEventLoop(Preparation.local(Cleaner::clean, chunker::chunk)),
                new GuardedEmbedder(embedder, embedGuard), index);
        BoundJob job = new BoundJob(stages, source.counters()::bytesRead, () -> totalBytes, dir.toString(),
                () -> vertx.get().executeBlocking(() -> {
                    release(key, index, source.counters());
                    return null;
                }, false));
        return new Local(job, source, index, () -> release(key, index, source.counters()));
    }

    private void release(String jobId, LuceneVectorIndex index, SourceCounters counters) {
        if (!bound.remove(jobId)) {
            return;
        }
        try {
            closeIndex(index);
        } finally {
            if (counters.openHandles() == 0) {
                sources.remove(jobId);
            } else {
                LOG.log(Level.WARNING, "job " + jobId + " was released with " + counters.openHandles()
                        + " source handle(s) still open");
            }
        }
    }

    private void closeIndex(LuceneVectorIndex index) {
        try {
            index.close();
        } finally {
            openIndexes.decrementAndGet();
        }
    }

    /** Cleaning and chunking run on Mutiny's worker pool, never on the thread that asked (an event loop for URL sources). */
    private static Preparation offEventLoop(Preparation local) {
        return docs -> AsyncPlan.defer(() -> local.prepare(docs).open()
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** The shared embedder with every call behind the job's guard; closing it leaves the shared one open. */
    private record GuardedEmbedder(Embedder embedder, UnaryOperator<AsyncPlan<List<float[]>>> guard) implements Embedder {

        @Override
        public String name() {
            return embedder.name();
        }

        @Override
        public int dimensions() {
            return embedder.dimensions();
        }

        @Override
        public int parallelism() {
            return embedder.parallelism();
        }

        @Override
        public AsyncPlan<List<float[]>> embed(List<String> texts) {
            return guard.apply(embedder.embed(texts));
        }

        @Override
        public long truncations() {
            return embedder.truncations();
        }

        @Override
        public void close() {
        }
    }
}
