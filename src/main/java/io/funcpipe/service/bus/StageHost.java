package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.funcpipe.adapters.embed.EmbeddingModel;
import io.funcpipe.adapters.embed.Embedders;
import io.funcpipe.service.bus.protocol.BusCodecs;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;

/**
 * The stages one node hosts: deploys each stage of a {@link StageHostOptions} with its instances,
 * sharing one {@link EmbeddingModel} (clean and embed) and one set of open indexes (index) among
 * them, and takes it all down again with {@link #close()}.
 *
 * <pre>{@code
 * StageHost host = StageHost.start(vertx, StageHostOptions.all(2, spec, Path.of("/data/indexes")))
 *         .await();                                      // or compose on the Future
 * ...
 * host.close().await();                                  // undeploys, closes indexes and model
 * assert host.resources().allZero();
 * }</pre>
 *
 * Parse and clean run as worker verticles on pools of their own ({@code funcpipe-stage-parse},
 * {@code funcpipe-stage-clean}, one thread per instance); embed and index run on event loops and
 * hand their blocking work to the model's and the indexes' own threads.
 */
public final class StageHost {

    private static final Logger LOG = System.getLogger(StageHost.class.getName());
    /** How long a start waits for the model's first probe before it goes on (the probe goes on too). */
    private static final Duration FIRST_PROBE_WAIT = Duration.ofSeconds(10);
    /** The shortest time between two probes of a model that is down. */
    private static final Duration REPROBE_AFTER = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final StageHostOptions options;
    private final HostResources resources;
    private final EmbeddingModel model;
    private final List<String> deployments = new ArrayList<>();
    private final ModelProbe probe;
    /** The models the index API loads for queries no embed stage serves; closed with the model. */
    private final QueryModels queryModels;
    private volatile boolean modelOpen;
    private volatile Future<Void> closed;

    private StageHost(Vertx vertx, StageHostOptions options, HostResources resources, EmbeddingModel model) {
        this.vertx = vertx;
        this.options = options;
        this.resources = resources;
        this.model = model;
        this.modelOpen = model != null;
        this.queryModels = new QueryModels(vertx, IndexQueries.EMBED_TIMEOUT);
        this.probe = model == null ? null : new ModelProbe(model.embedder(), () -> modelOpen, REPROBE_AFTER);
        resources.embedWorkers(() -> modelOpen ? model.embedder().parallelism() : 0);
    }

    /**
     * Registers the message codecs, loads the model if a hosted stage needs it (on a worker thread:
     * MiniLM takes about 2 s) and probes it (waiting at most 10 s for the answer; a failed probe
     * makes {@link #model()} report the model down, it does not fail the start), then deploys the
     * stages, downstream first. If any step fails, whatever was started is taken down again and the
     * future fails with the cause.
     */
    public static Future<StageHost> start(Vertx vertx, StageHostOptions options) {
        requireNonNull(vertx, "vertx");
        requireNonNull(options, "options");
        try {
            BusCodecs.register(vertx.eventBus());
        } catch (IllegalStateException e) {
            return Future.failedFuture(e);
        }
        HostResources resources = new HostResources();
        boolean needsModel = options.hosts(BusStage.CLEAN) || options.hosts(BusStage.EMBED);
        Future<EmbeddingModel> model = needsModel
                ? vertx.executeBlocking(() -> Embedders.open(options.embedder(), vertx), false)
                        .recover(e -> Future.failedFuture(new IllegalStateException("could not open the embedding model "
                                + options.embedder().kind().label() + " for the stage host: " + e.getMessage(), e)))
                : Future.succeededFuture(null);
        return model.compose(m -> {
            StageHost host = new StageHost(vertx, options, resources, m);
            return host.firstProbe().compose(ignored -> host.deployAll()).transform(deployed -> deployed.succeeded()
                    ? Future.succeededFuture(host)
                    : host.close().transform(ignored -> Future.failedFuture(deployed.cause())));
        });
    }

    /** The options this host was started with. */
    public StageHostOptions options() {
        return options;
    }

    /**
     * Whether this host's model is loaded and answers, or empty when it hosts no stage that needs a
     * model (only parse and index).
     */
    public Optional<ModelProbe> model() {
        return Optional.ofNullable(probe);
    }

    /** Whether the stages are deployed: true from a successful start until {@link #close()} starts. */
    public boolean deployed() {
        return closed == null;
    }

    /** What this host holds open right now (all zero after {@link #close()}). */
    public ResourceCounts resources() {
        return resources.snapshot();
    }

    /** Texts this node's embed stage has embedded (successful batches only), since it started. */
    public long embeddedTexts() {
        return resources.embeddedTexts();
    }

    /** Embed batches this node's embed stage has answered successfully, since it started. */
    public long embedBatches() {
        return resources.embedBatches();
    }

    /**
     * Undeploys every stage (closing source sessions, then waiting for embed calls under way, then
     * closing the indexes, which commits them), then closes the model. Idempotent: later calls get
     * the same future.
     */
    public synchronized Future<Void> close() {
        if (closed == null) {
            List<Future<?>> undeploying = new ArrayList<>();
            for (String id : deployments.reversed()) {
                undeploying.add(vertx.undeploy(id));
            }
            closed = Future.join(undeploying).transform(undeployed -> closeModel().transform(modelClosed -> {
                if (undeployed.failed()) {
                    return Future.failedFuture(undeployed.cause());
                }
                return modelClosed.failed() ? Future.failedFuture(modelClosed.cause()) : Future.<Void>succeededFuture();
            }));
        }
        return closed;
    }

    private Future<Void> firstProbe() {
        if (probe == null) {
            return Future.succeededFuture();
        }
        Promise<Void> waited = Promise.promise();
        long timer = vertx.setTimer(FIRST_PROBE_WAIT.toMillis(), ignored -> waited.tryComplete());
        probe.probe().onComplete(ignored -> {
            vertx.cancelTimer(timer);
            waited.tryComplete();
        });
        return waited.future();
    }

    private Future<Void> deployAll() {
        IndexRegistry registry = options.hosts(BusStage.INDEX) ? new IndexRegistry(vertx, options.indexRoot(), options.indexLimits()) : null;
        if (registry != null) {
            resources.openIndexes(registry::openCount);
        }
        Future<Void> chain = Future.succeededFuture();
        for (BusStage stage : List.of(BusStage.INDEX, BusStage.EMBED, BusStage.CLEAN, BusStage.PARSE)) {
            if (options.hosts(stage)) {
                chain = chain.compose(ignored -> deploy(stage, registry));
            }
        }
        return chain;
    }

    private Future<Void> deploy(BusStage stage, IndexRegistry registry) {
        int n = options.instances().get(stage);
        DeploymentOptions deployment = new DeploymentOptions().setInstances(n);
        Supplier<Deployable> verticle = switch (stage) {
            case PARSE -> {
                worker(deployment, stage, n);
                yield () -> new ParseStage(options.sessionIdleTimeout(), resources, options.parse());
            }
            case CLEAN -> {
                worker(deployment, stage, n);
                yield () -> new CleanStage(model.tokenizer());
            }
            case EMBED -> () -> new EmbedStage(model.embedder(), resources);
            case INDEX -> () -> new IndexStage(registry);
        };
        Future<Void> queries = stage == BusStage.INDEX ? deployQueries(registry) : Future.succeededFuture();
        return queries.compose(ignored -> vertx.deployVerticle(verticle, deployment))
                .recover(e -> Future.failedFuture(new IllegalStateException("could not deploy the " + stage.label()
                        + " stage at " + stage.address() + ": " + e.getMessage(), e)))
                .map(id -> {
                    synchronized (this) {
                        deployments.add(id);
                    }
                    LOG.log(Level.INFO, "deployed the {0} stage at {1}, instances: {2}", stage.label(), stage.address(), n);
                    return null;
                });
    }

    /** The index API ({@link IndexQueries}) beside the index stage, on the same open indexes. */
    private Future<Void> deployQueries(IndexRegistry registry) {
        return vertx.deployVerticle(new IndexQueries(registry, queryModels, options.indexAccess())).map(id -> {
            synchronized (this) {
                deployments.add(id);
            }
            LOG.log(Level.INFO, "deployed the index API at {0} and {1}", IndexAddresses.SEARCH, IndexAddresses.LIST);
            return null;
        });
    }

    private static void worker(DeploymentOptions deployment, BusStage stage, int n) {
        deployment.setThreadingModel(ThreadingModel.WORKER)
                .setWorkerPoolName("funcpipe-stage-" + stage.label())
                .setWorkerPoolSize(n);
    }

    private Future<Void> closeModel() {
        return vertx.executeBlocking(() -> {
            queryModels.close();
            if (model == null || !modelOpen) {
                return null;
            }
            try {
                model.close();
            } finally {
                modelOpen = false;
            }
            return null;
        }, false);
    }
}
