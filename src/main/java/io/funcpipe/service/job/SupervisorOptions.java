package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.source.UrlPolicy;
import io.funcpipe.rag.IngestOptions;
import io.funcpipe.service.shell.ServiceConfig;
import io.smallrye.common.annotation.CheckReturnValue;

/**
 * How the {@link SupervisorVerticle} runs jobs. Read once at deployment (the service's config
 * loader fills it); every check names the option.
 *
 * @param inputRoots       the folders job sources may name files under (symbolic links resolved);
 *                         empty means jobs may read http(s) URLs only
 * @param indexRoot        the folder that holds one folder per index name; a job's errors log is
 *                         {@code <indexRoot>/<index>/errors.jsonl} on the supervisor's node
 * @param maxRunning       jobs that run at once (>= 1); others wait in submission order. Default 2.
 * @param progressInterval the shortest time between two progress events of one job (> 0). Default 500 ms.
 * @param shutdownGrace    on undeploy, how long running jobs may go on before they are cancelled
 *                         (>= 0). Default 30 s.
 * @param embedCapacity    embed calls in flight over every job at once (>= 1), shared by weight.
 *                         Default 4.
 * @param embedderKind     the embedder the service runs ({@code minilm}, {@code hash},
 *                         {@code openai}); a spec that names another is refused. Default minilm.
 * @param ingest           batching and commit cadence of every job. Default {@link IngestOptions#defaults()}.
 * @param retainedJobs     ended jobs kept for status and list (>= 0); the oldest ended job is
 *                         forgotten first (and its ledger entry deleted). Default 1000.
 * @param stageWait        how long a job waits for a stage that no node hosts before it fails (>= 0). Default 2 min.
 * @param retainFor        how long an ended job is kept at most (> 0). Default 7 days.
 * @param urls             which URL sources a spec may name ({@code fetch.*}). Default none.
 * @param limits           bounds on specs, queues and policies ({@code limits.*}). Default {@link JobLimits#defaults()}.
 * @param indexAccess      which callers may submit jobs to which index ({@code auth.indexRoles}).
 *                         Default {@link IndexAccess#OPEN}.
 */
public record SupervisorOptions(List<Path> inputRoots, Path indexRoot, int maxRunning, Duration progressInterval,
                                Duration shutdownGrace, int embedCapacity, String embedderKind, IngestOptions ingest,
                                int retainedJobs, Duration stageWait, Duration retainFor, UrlPolicy urls,
                                JobLimits limits, IndexAccess indexAccess) {

    public static final int DEFAULT_MAX_RUNNING = 2;
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    public static final int DEFAULT_EMBED_CAPACITY = 4;
    public static final int DEFAULT_RETAINED_JOBS = 1000;
    public static final Duration DEFAULT_STAGE_WAIT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_RETAIN_FOR = Duration.ofDays(7);

    public SupervisorOptions {
        requireNonNull(inputRoots, "inputRoots");
        inputRoots = inputRoots.stream().map(root -> requireNonNull(root, "inputRoots[]").toAbsolutePath().normalize())
                .toList();
        requireNonNull(indexRoot, "indexRoot");
        indexRoot = indexRoot.toAbsolutePath().normalize();
        if (maxRunning < 1) {
            throw new IllegalArgumentException("maxRunning must be >= 1, got " + maxRunning);
        }
        requireNonNull(progressInterval, "progressInterval");
        if (progressInterval.toMillis() < 1) {
            throw new IllegalArgumentException("progressInterval must be at least 1 ms, got " + progressInterval);
        }
        requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must be >= 0, got " + shutdownGrace);
        }
        if (embedCapacity < 1) {
            throw new IllegalArgumentException("embedCapacity must be >= 1, got " + embedCapacity);
        }
        requireNonNull(embedderKind, "embedderKind");
        try {
            embedderKind = EmbedderSpec.Kind.parse(embedderKind).label();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("embedderKind: " + e.getMessage(), e);
        }
        requireNonNull(ingest, "ingest");
        if (retainedJobs < 0) {
            throw new IllegalArgumentException("retainedJobs must be >= 0, got " + retainedJobs);
        }
        requireNonNull(stageWait, "stageWait");
        if (stageWait.isNegative()) {
            throw new IllegalArgumentException("stageWait must be >= 0, got " + stageWait);
        }
        requireNonNull(retainFor, "retainFor");
        if (retainFor.isNegative() || retainFor.isZero()) {
            throw new IllegalArgumentException("retainFor must be > 0, got " + retainFor);
        }
        requireNonNull(urls, "urls");
        requireNonNull(limits, "limits");
        requireNonNull(indexAccess, "indexAccess");
    }

    /** Options with no URL source, the default limits and every index open to every caller. */
    public SupervisorOptions(List<Path> inputRoots, Path indexRoot, int maxRunning, Duration progressInterval,
                             Duration shutdownGrace, int embedCapacity, String embedderKind, IngestOptions ingest,
                             int retainedJobs, Duration stageWait, Duration retainFor) {
        this(inputRoots, indexRoot, maxRunning, progressInterval, shutdownGrace, embedCapacity, embedderKind, ingest,
                retainedJobs, stageWait, retainFor, UrlPolicy.allowing(List.of()), JobLimits.defaults(),
                IndexAccess.OPEN);
    }

    /** The defaults for everything but where inputs and indexes are and which embedder runs. */
    public static SupervisorOptions of(List<Path> inputRoots, Path indexRoot, String embedderKind) {
        return new SupervisorOptions(inputRoots, indexRoot, DEFAULT_MAX_RUNNING, DEFAULT_PROGRESS_INTERVAL,
                DEFAULT_SHUTDOWN_GRACE, DEFAULT_EMBED_CAPACITY, embedderKind, IngestOptions.defaults(),
                DEFAULT_RETAINED_JOBS, DEFAULT_STAGE_WAIT, DEFAULT_RETAIN_FOR, UrlPolicy.allowing(List.of()), JobLimits.defaults(), IndexAccess.OPEN);
    }

    /**
     * The options the service's settings give: {@code inputRoots}, {@code index.dir},
     * {@code jobs.maxRunning}, {@code jobs.progressInterval}, {@code shutdown.grace},
     * {@code embedder.kind}, the batch sizes of {@code transport} and {@code jobs.retained},
     * {@code jobs.stageWait}, {@code jobs.retainFor}, {@code auth.indexRoles}; {@code embedCapacity} keeps its default (the
     * settings have no key for it yet).
     */
    public static SupervisorOptions from(ServiceConfig config) {
        requireNonNull(config, "config");
        IngestOptions ingest = IngestOptions.defaults().withDocBatch(config.transport().docBatch())
                .withEmbedBatch(config.transport().embedBatch()).withCommitEvery(config.index().commitEvery());
        return new SupervisorOptions(config.inputRoots(), config.index().dir(), config.jobs().maxRunning(),
                config.jobs().progressInterval(), config.shutdown().grace(), DEFAULT_EMBED_CAPACITY,
                config.embedder().kind().label(), ingest, config.jobs().retained(), config.jobs().stageWait(),
                config.jobs().retainFor(), config.fetch().policy(), JobLimits.from(config.limits()),
                new IndexAccess(config.http().auth().indexRoles()));
    }

    /** The embedder kind, parsed. */
    public EmbedderSpec.Kind kind() {
        return EmbedderSpec.Kind.parse(embedderKind);
    }

    @CheckReturnValue
    public SupervisorOptions withMaxRunning(int maxRunning) {
        return new SupervisorOptions(inputRoots, indexRoot, maxRunning, progressInterval, shutdownGrace, embedCapacity,
                embedderKind, ingest, retainedJobs, stageWait, retainFor, urls, limits, indexAccess);
    }

    @CheckReturnValue
    public SupervisorOptions withProgressInterval(Duration progressInterval) {
        return new SupervisorOptions(inputRoots, indexRoot, maxRunning, progressInterval, shutdownGrace, embedCapacity,
                embedderKind, ingest, retainedJobs, stageWait, retainFor, urls, limits, indexAccess);
    }

    @CheckReturnValue
    public SupervisorOptions withShutdownGrace(Duration shutdownGrace) {
        return new SupervisorOptions(inputRoots, indexRoot, maxRunning, progressInterval, shutdownGrace, embedCapacity,
                embedderKind, ingest, retainedJobs, stageWait, retainFor, urls, limits, indexAccess);
    }

    @CheckReturnValue
    public SupervisorOptions withEmbedCapacity(int embedCapacity) {
        return new SupervisorOptions(inputRoots, indexRoot, maxRunning, progressInterval, shutdownGrace, embedCapacity,
                embedderKind, ingest, retainedJobs, stageWait, retainFor, urls, limits, indexAccess);
    }

    @CheckReturnValue
    public SupervisorOptions withIngest(IngestOptions ingest) {
        return new SupervisorOptions(inputRoots, indexRoot, maxRunning, progressInterval, shutdownGrace, embedCapacity,
                embedderKind, ingest, retainedJobs, stageWait, retainFor, urls, limits, indexAccess);
    }

    @CheckReturnValue
    public SupervisorOptions withStageWait(Duration stageWait) {
        return new SupervisorOptions(inputRoots, indexRoot, maxRunning, progressInterval, shutdownGrace, embedCapacity,
                embedderKind, ingest, retainedJobs, stageWait, retainFor, urls, limits, indexAccess);
    }

    @CheckReturnValue
    public SupervisorOptions withRetainedJobs(int retainedJobs) {
        return new SupervisorOptions(inputRoots, indexRoot, maxRunning, progressInterval, shutdownGrace, embedCapacity,
                embedderKind, ingest, retainedJobs, stageWait, retainFor, urls, limits, indexAccess);
    }

    @CheckReturnValue
    public SupervisorOptions withUrls(UrlPolicy urls) {
        return new SupervisorOptions(inputRoots, indexRoot, maxRunning, progressInterval, shutdownGrace, embedCapacity,
                embedderKind, ingest, retainedJobs, stageWait, retainFor, urls, limits, indexAccess);
    }

    @CheckReturnValue
    public SupervisorOptions withLimits(JobLimits limits) {
        return new SupervisorOptions(inputRoots, indexRoot, maxRunning, progressInterval, shutdownGrace, embedCapacity,
                embedderKind, ingest, retainedJobs, stageWait, retainFor, urls, limits, indexAccess);
    }

    @CheckReturnValue
    public SupervisorOptions withIndexAccess(IndexAccess indexAccess) {
        return new SupervisorOptions(inputRoots, indexRoot, maxRunning, progressInterval, shutdownGrace, embedCapacity,
                embedderKind, ingest, retainedJobs, stageWait, retainFor, urls, limits, indexAccess);
    }
}
