package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.embed.Embedders;
import io.funcpipe.adapters.embed.EmbeddingModel;
import io.funcpipe.adapters.embed.OnnxModel;
import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.core.policy.Policies;
import io.funcpipe.rag.Embedder;
import io.funcpipe.service.bus.protocol.EmbedTexts;
import io.funcpipe.service.bus.protocol.StageFailure;
import io.funcpipe.service.bus.protocol.Vectors;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Where a search embeds its query: with the model named in the index's manifest, never another.
 * The query goes to the embed stage ({@link StageAddress#EMBED}, on any node) with the model's
 * query prefix; if the stage answers with that model's vectors, they are used. If no node hosts
 * the embed stage, or it runs another model (an index built by {@code funcpipe ingest} with another
 * embedder), the model is loaded here once, on first use, with one session, and kept until
 * {@link #close()}. An OpenAI-compatible model cannot be loaded from its name alone (it needs its
 * server's settings): such a query fails saying so.
 */
final class QueryModels implements AutoCloseable {

    private static final Logger LOG = System.getLogger(QueryModels.class.getName());

    private final Vertx vertx;
    private final Duration timeout;
    private final Map<String, Future<EmbeddingModel>> loaded = new ConcurrentHashMap<>();
    private volatile boolean closed;

    QueryModels(Vertx vertx, Duration timeout) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.timeout = requireNonNull(timeout, "timeout");
    }

    /** The embedder of queries on the index that {@code manifest} describes. */
    Embedder forIndex(IndexManifest manifest) {
        return new QueryEmbedder(requireNonNull(manifest, "manifest"));
    }

    /** Closes the models loaded here. */
    @Override
    public void close() {
        closed = true;
        List<Future<EmbeddingModel>> all = new ArrayList<>(loaded.values());
        loaded.clear();
        for (Future<EmbeddingModel> model : all) {
            if (model.succeeded()) {
                model.result().close();
            }
        }
    }

    /** An embedder bound to one manifest: the embed stage first, the model loaded here otherwise. */
    private final class QueryEmbedder implements Embedder {
        private final IndexManifest manifest;

        QueryEmbedder(IndexManifest manifest) {
            this.manifest = manifest;
        }

        @Override
        public String name() {
            return manifest.embedder();
        }

        @Override
        public int dimensions() {
            return manifest.dimensions();
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public String queryText(String query) {
            String prefix;
            try {
                prefix = EmbedderSpec.Kind.parse(manifest.embedder()).onnxModel().map(OnnxModel::queryPrefix).orElse("");
            } catch (IllegalArgumentException e) {
                prefix = "";
            }
            return prefix + query;
        }

        @Override
        public AsyncPlan<List<float[]>> embed(List<String> texts) {
            List<String> copy = List.copyOf(texts);
            return AsyncPlan.defer(() -> Uni.createFrom().completionStage(() -> viaStage(copy).toCompletionStage()));
        }

        private Future<Result<List<float[]>>> viaStage(List<String> texts) {
            DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis());
            return vertx.eventBus().request(StageAddress.EMBED, new EmbedTexts(texts), delivery).transform(replied -> {
                if (replied.failed()) {
                    if (replied.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
                        return locally(texts);
                    }
                    return Future.succeededFuture(Result.err(StageClient.failure(StageAddress.EMBED, timeout, replied.cause())));
                }
                return switch (replied.result().body()) {
                    case Vectors v when v.embedder().equals(manifest.embedder()) && v.dimensions() == manifest.dimensions()
                            && v.vectors().size() == texts.size() -> Future.succeededFuture(Result.ok(v.vectors()));
                    case Vectors other -> locally(texts);
                    case StageFailure(ErrInfo error) -> Future.succeededFuture(Result.err(error));
                    case null, default -> Future.succeededFuture(Result.err(ErrInfo.of(ErrCode.EXCEPTION,
                            StageAddress.EMBED + " answered " + replied.result().body() + " to a query")));
                };
            });
        }

        private Future<Result<List<float[]>>> locally(List<String> texts) {
            EmbedderSpec.Kind kind;
            try {
                kind = EmbedderSpec.Kind.parse(manifest.embedder());
            } catch (IllegalArgumentException e) {
                return Future.succeededFuture(Result.err(ErrInfo.of(ErrCode.UNAVAILABLE, "the index was built with the "
                        + "embedder '" + manifest.embedder() + "', which this service does not know: " + e.getMessage())));
            }
            if (kind == EmbedderSpec.Kind.OPENAI) {
                return Future.succeededFuture(Result.err(ErrInfo.of(ErrCode.UNAVAILABLE, "the index was built with '"
                        + manifest.embedder() + "', but no embed stage of this cluster serves it and an OpenAI-compatible "
                        + "model cannot be opened from its name alone: run the embed stage with that model "
                        + "(embedder.kind openai and its settings)")));
            }
            Future<EmbeddingModel> model = loaded.computeIfAbsent(manifest.embedder(), name -> vertx.executeBlocking(() -> {
                LOG.log(Level.INFO, "loading the embedder {0} on this index node for queries (no embed stage serves it)", name);
                EmbeddingModel opened = Embedders.open(new EmbedderSpec(kind, 1, null, Policies.DEFAULT), vertx);
                if (closed) {
                    opened.close();
                    throw new IllegalStateException("the index node is stopping");
                }
                return opened;
            }, false));
            return model.transform(opened -> {
                if (opened.failed()) {
                    loaded.remove(manifest.embedder(), model);
                    return Future.succeededFuture(Result.<List<float[]>>err(ErrInfo.fromException(ErrCode.UNAVAILABLE,
                            opened.cause()).withMessage("loading the embedder '" + manifest.embedder() + "' for queries "
                            + "failed: " + opened.cause().getMessage())));
                }
                Embedder embedder = opened.result().embedder();
                if (!embedder.name().equals(manifest.embedder()) || embedder.dimensions() != manifest.dimensions()) {
                    return Future.succeededFuture(Result.err(ErrInfo.of(ErrCode.UNAVAILABLE, "the embedder loaded for "
                            + "queries is '" + embedder.name() + "' (" + embedder.dimensions() + " dims), but the index "
                            + "was built with '" + manifest.embedder() + "' (" + manifest.dimensions() + " dims)")));
                }
                return Future.fromCompletionStage(embedder.embed(texts).open().subscribeAsCompletionStage());
            });
        }
    }
}
