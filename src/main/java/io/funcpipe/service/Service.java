package io.funcpipe.service;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Map;
import java.util.logging.Logger;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.embed.OpenAiEmbedder;
import io.funcpipe.core.policy.Policies;
import io.funcpipe.core.policy.RetryPolicy;
import io.funcpipe.core.policy.TimeoutPolicy;
import io.funcpipe.service.bus.BusStage;
import io.funcpipe.service.bus.ResourceCounts;
import io.funcpipe.service.bus.StageHost;
import io.funcpipe.service.bus.IndexLimits;
import io.funcpipe.service.bus.ParseRules;
import io.funcpipe.service.bus.StageHostOptions;
import io.funcpipe.service.job.IndexAccess;
import io.funcpipe.service.job.SupervisorOptions;
import io.funcpipe.service.job.SupervisorVerticle;
import io.funcpipe.service.shell.ClusterSetup;
import io.funcpipe.service.shell.HttpShell;
import io.funcpipe.service.shell.Readiness;
import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

/**
 * One FuncPipe service node, assembled from its config: Vert.x (clustered over Hazelcast or not),
 * the stage verticles it hosts ({@link StageHost}), the supervisor and job API when it hosts the
 * index stage (the supervisor writes each job's errors log next to the index), and the HTTP shell
 * (health, metrics, the job API's SockJS bridge). {@link #stop(Duration)} releases all of it in reverse
 * order: the supervisor first (it stops taking jobs, lets running ones finish within the grace
 * period and cancels the rest), then the stages, the HTTP server and Vert.x.
 */
public final class Service {

    private static final Logger LOG = Logger.getLogger(Service.class.getName());

    private final Vertx vertx;
    private final ServiceConfig config;
    private final StageHost stages;
    private final String supervisor;
    private final HttpShell http;
    private final ServiceMetrics metrics;
    private boolean stopped;

    private Service(Vertx vertx, ServiceConfig config, StageHost stages, String supervisor, HttpShell http,
                    ServiceMetrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.config = config;
        this.stages = stages;
        this.supervisor = supervisor;
        this.http = http;
    }

    /**
     * Starts a node and waits until it is up, each step for at most {@code timeout}. On failure
     * everything started so far is released (the supervisor, the stages, Vert.x) and the failure is
     * thrown with what went wrong. Blocks: call it from a thread of your own, never a Vert.x thread.
     */
    public static Service start(ServiceConfig config, Duration timeout) {
        requireNonNull(config, "config");
        requireNonNull(timeout, "timeout");
        ServiceMetrics metrics = ServiceMetrics.create();
        // stage request latencies and in-flight counts are recorded through Micrometer's global registry
        Metrics.addRegistry(metrics.registry());
        Vertx vertx;
        try {
            vertx = await(ClusterSetup.of(config.cluster()).start(metrics), timeout, "starting Vert.x");
        } catch (RuntimeException e) {
            Metrics.removeRegistry(metrics.registry());
            throw e;
        }
        StageHost stages = null;
        String supervisor = null;
        try {
            if (config.stages().hosts(ServiceConfig.Stage.INDEX)) {
                createIndexDir(config);
            }
            Readiness readiness = Readiness.create(vertx);
            if (config.cluster().enabled()) {
                readiness.register("cluster", ClusterSetup.clusterCheck(vertx));
            }
            Optional<StageHostOptions> hosted = hostOptions(config);
            if (hosted.isPresent()) {
                stages = await(StageHost.start(vertx, hosted.get()), timeout, "starting the stages");
                registerStageMetrics(stages, config, metrics);
            }
            StageHost host = stages;
            readiness.register("stages", () -> host == null || host.deployed());
            if (host != null) {
                // the model loaded and answering a probe (clean and embed need it)
                host.model().ifPresent(model -> readiness.register("model", promise -> promise.complete(
                        model.problem().map(why -> Status.KO(new JsonObject().put("problem", why))).orElseGet(Status::OK))));
            }
            if (config.stages().hosts(ServiceConfig.Stage.INDEX)) {
                supervisor = await(deploySupervisor(vertx, config, metrics, readiness), timeout, "starting the supervisor");
            }
            HttpShell http = new HttpShell(config.http(), readiness, metrics);
            await(vertx.deployVerticle(http), timeout, "starting the HTTP server");
            return new Service(vertx, config, stages, supervisor, http, metrics);
        } catch (RuntimeException e) {
            release(vertx, stages, supervisor, timeout);
            Metrics.removeRegistry(metrics.registry());
            throw e;
        }
    }

    private static void createIndexDir(ServiceConfig config) {
        try {
            Files.createDirectories(config.index().dir());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot create index.dir " + config.index().dir() + ": " + e.getMessage()
                    + "; set index.dir (FUNCPIPE_INDEX_DIR) to a writable folder", e);
        }
    }

    private static void registerStageMetrics(StageHost stages, ServiceConfig config, ServiceMetrics metrics) {
        if (config.stages().hosts(ServiceConfig.Stage.EMBED)) {
            FunctionCounter.builder("funcpipe.stage.items", stages, StageHost::embeddedTexts)
                    .description("items this node's stage served").tag("stage", "embed")
                    .register(metrics.registry());
            FunctionCounter.builder("funcpipe.stage.batches", stages, StageHost::embedBatches)
                    .description("batches this node's stage served").tag("stage", "embed")
                    .register(metrics.registry());
        }
    }

    /** Waits for {@code future}; a failure or timeout is rethrown saying which step it was. */
    private static <T> T await(Future<T> future, Duration timeout, String step) {
        try {
            return future.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(step + " did not finish within " + timeout, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(step + " failed: " + e.getMessage(), e);
        }
    }

    /** Releases what a failed start had started, newest first; failures are logged, not thrown. */
    private static void release(Vertx vertx, StageHost stages, String supervisor, Duration timeout) {
        try {
            if (supervisor != null) {
                await(vertx.undeploy(supervisor), timeout, "stopping the supervisor");
            }
            if (stages != null) {
                await(stages.close(), timeout, "stopping the stages");
            }
        } catch (RuntimeException e) {
            LOG.warning("releasing after a failed start: " + e.getMessage());
        } finally {
            try {
                await(vertx.close(), timeout, "closing Vert.x");
            } catch (RuntimeException e) {
                LOG.warning("releasing after a failed start: " + e.getMessage());
            }
        }
    }

    private static Future<String> deploySupervisor(Vertx vertx, ServiceConfig config, ServiceMetrics metrics,
                                                   Readiness readiness) {
        // the embed batches all running jobs may have in flight: a window per embed instance here
        SupervisorOptions options = SupervisorOptions.from(config).withEmbedCapacity(config.transport().window()
                * Math.max(1, config.stages().instances().of(ServiceConfig.Stage.EMBED)));
        SupervisorVerticle verticle = new SupervisorVerticle(options,
                new BusStageBinder(vertx, config.transport(), config.inputRoots(), config.index().dir()), metrics.registry());
        readiness.register("supervisor", verticle::accepting);
        readiness.register("index", () -> Files.isDirectory(config.index().dir()) && Files.isWritable(config.index().dir()));
        return vertx.deployVerticle(verticle);
    }

    /** What the stage host runs, or empty when this node hosts no stage (a supervisor-less client-side node). */
    private static Optional<StageHostOptions> hostOptions(ServiceConfig config) {
        Map<BusStage, Integer> instances = new EnumMap<>(BusStage.class);
        for (ServiceConfig.Stage stage : config.stages().hosted()) {
            instances.put(BusStage.valueOf(stage.name()), config.stages().instances().of(stage));
        }
        if (instances.isEmpty()) {
            return Optional.empty();
        }
        ServiceConfig.Limits limits = config.limits();
        ParseRules parse = new ParseRules(config.inputRoots(), config.fetch().policy(), limits.recordBytes(),
                limits.metadataBytes(), limits.jobBytes());
        return Optional.of(new StageHostOptions(instances, embedderSpec(config), config.index().dir(),
                StageHostOptions.DEFAULT_SESSION_IDLE_TIMEOUT, parse,
                new IndexLimits(config.index().maxOpen(), config.index().idleClose()), new IndexAccess(config.http().auth().indexRoles())));
    }

    private static EmbedderSpec embedderSpec(ServiceConfig config) {
        ServiceConfig.Embedder embedder = config.embedder();
        OpenAiEmbedder.Settings openAi = null;
        if (embedder.kind() == EmbedderSpec.Kind.OPENAI) {
            ServiceConfig.OpenAi o = embedder.openai();
            openAi = OpenAiEmbedder.Settings.of(o.url(), o.model(), o.dimensions());
            String key = o.apiKeyEnv().isEmpty() ? null : System.getenv(o.apiKeyEnv());
            if (key != null && !key.isEmpty()) {
                openAi = openAi.withApiKey(key);
            }
        }
        // no retry or timeout here: each job's embed guard applies the job's policies, once per call
        return new EmbedderSpec(embedder.kind(), 0, openAi,
                Policies.DEFAULT.withRetry(RetryPolicy.none()).withTimeout(TimeoutPolicy.NONE));
    }

    public Vertx vertx() {
        return vertx;
    }

    public ServiceConfig config() {
        return config;
    }

    /** The HTTP port the node listens on (the real one when the config asked for 0). */
    public int httpPort() {
        return http.port();
    }

    /** Whether this node runs the supervisor and the job API. */
    public boolean supervises() {
        return supervisor != null;
    }

    /** What the hosted stages hold open now (all zero once stopped). */
    public ResourceCounts resources() {
        return stages == null ? new ResourceCounts(0, 0, 0, 0, 0) : stages.resources();
    }

    /**
     * Stops the node and waits until it has: the supervisor first (it stops taking jobs, lets
     * running ones finish within {@code shutdown.grace}, cancels the rest, commits and releases),
     * then the stages (sessions, indexes, the model), then HTTP and Vert.x. Idempotent. Blocks: call
     * it from a thread of your own (a shutdown hook, a test), never from a Vert.x thread. Each step
     * runs even when an earlier one failed; the first failure is thrown at the end.
     */
    public synchronized void stop(Duration timeout) {
        if (stopped) {
            return;
        }
        stopped = true;
        RuntimeException first = null;
        try {
            if (supervisor != null) {
                vertx.undeploy(supervisor).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            first = failure("stopping the supervisor", e);
        }
        try {
            if (stages != null) {
                stages.close().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            first = first != null ? first : failure("stopping the stages", e);
        }
        try {
            vertx.close().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            first = first != null ? first : failure("closing Vert.x", e);
        }
        Metrics.removeRegistry(metrics.registry());
        if (first != null) {
            throw first;
        }
    }

    private static RuntimeException failure(String what, Exception e) {
        String why = e instanceof TimeoutException ? "it did not finish in time" : String.valueOf(e.getMessage());
        LOG.warning(what + ": " + why);
        return new IllegalStateException(what + ": " + why, e);
    }
}
