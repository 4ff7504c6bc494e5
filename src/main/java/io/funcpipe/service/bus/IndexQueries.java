package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.adapters.index.IndexStats;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.QueryPlan;
import io.funcpipe.rag.SearchQuery;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.funcpipe.service.job.Caller;
import io.funcpipe.service.job.IndexAccess;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The index API where the indexes live (deployed with the index stage): {@link IndexAddresses#SEARCH}
 * runs a {@link QueryPlan} on an index of the node's {@link IndexRegistry} (the same open index the
 * jobs write, so a search sees chunks as soon as they are upserted), embedding the query with the
 * model of the index's manifest ({@link QueryModels}); {@link IndexAddresses#LIST} names the indexes
 * under the root with their counts as of their last commit. JSON bodies; a refused request is a
 * failure reply whose code the HTTP side maps to its status ({@link IndexAddresses}). Every request is
 * checked against its caller in one place, {@link #refusal(Caller, String)}.
 */
final class IndexQueries extends VerticleBase {

    /** How long a query waits for the embed stage. */
    static final Duration EMBED_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = System.getLogger(IndexQueries.class.getName());

    private final IndexRegistry registry;
    private final QueryModels models;
    private final IndexAccess access;
    private MessageConsumer<Object> search;
    private MessageConsumer<Object> list;
    private MessageConsumer<Object> delete;

    IndexQueries(IndexRegistry registry, QueryModels models, IndexAccess access) {
        this.registry = requireNonNull(registry, "registry");
        this.models = requireNonNull(models, "models");
        this.access = requireNonNull(access, "access");
    }

    @Override
    public Future<?> start() {
        registry.retain();
        search = vertx.eventBus().consumer(IndexAddresses.SEARCH, this::onSearch);
        list = vertx.eventBus().consumer(IndexAddresses.LIST, this::onList);
        delete = vertx.eventBus().consumer(IndexAddresses.DELETE, this::onDelete);
        return Future.join(search.completion(), list.completion(), delete.completion());
    }

    @Override
    public Future<?> stop() {
        return Future.join(search.unregister(), list.unregister(), delete.unregister(), registry.release());
    }

    /**
     * Why {@code caller} may not use the index {@code index}, or empty when it may: the index role
     * limits of {@code auth.indexRoles} ({@link IndexAccess}, the same rule the supervisor applies at
     * submit). A listing leaves out the indexes the caller may not use.
     */
    private Optional<String> refusal(Caller caller, String index) {
        return access.check(caller, index);
    }

    private void onSearch(Message<Object> message) {
        Caller caller = Caller.from(message.headers());
        SearchRequestJson.Request request;
        try {
            request = SearchRequestJson.read(message.body());
        } catch (SearchQuery.Invalid e) {
            message.fail(IndexAddresses.BAD_REQUEST, e.getMessage());
            return;
        }
        Optional<ErrInfo> badName = IndexNames.check(request.index());
        if (badName.isPresent()) {
            message.fail(IndexAddresses.BAD_REQUEST, "index: " + badName.get().message());
            return;
        }
        Optional<String> refused = refusal(caller, request.index());
        if (refused.isPresent()) {
            message.fail(IndexAddresses.FORBIDDEN, refused.get());
            return;
        }
        Path dir = registry.root().resolve(request.index());
        vertx.executeBlocking(() -> IndexManifest.read(dir), false).onComplete(read -> {
            if (read.failed()) {
                message.fail(IndexAddresses.INTERNAL_ERROR, "reading the manifest of the index '" + request.index()
                        + "' failed: " + read.cause().getMessage());
            } else if (read.result().isEmpty()) {
                message.fail(IndexAddresses.NOT_FOUND, "no index is named '" + request.index() + "' on this service: "
                        + "funcpipe.index.list (GET /v1/indexes) names them; a job creates one (\"index\" in its spec)");
            } else {
                search(message, request, read.result().get());
            }
        });
    }

    private void search(Message<Object> message, SearchRequestJson.Request request, IndexManifest manifest) {
        SearchQuery query = request.query();
        Optional<float[]> vector = query.vector();
        if (vector.isPresent() && vector.get().length != manifest.dimensions()) {
            message.fail(IndexAddresses.BAD_REQUEST, "vector: has " + vector.get().length + " numbers, but the index '"
                    + request.index() + "' holds vectors of " + manifest.dimensions() + " (embedder "
                    + manifest.embedder() + ")");
            return;
        }
        registry.index(new IndexTarget(request.index(), manifest.embedder(), manifest.dimensions())).onComplete(opened -> {
            if (opened.failed()) {
                message.fail(IndexAddresses.INTERNAL_ERROR, "opening the index '" + request.index() + "' failed: "
                        + opened.cause());
                return;
            }
            switch (opened.result()) {
                case Err<IndexLease>(ErrInfo error) -> message.fail(failureCode(error), error.message());
                case Ok<IndexLease>(IndexLease lease) -> lease.run(index -> QueryPlan.describe(models.forIndex(manifest),
                                index, query))
                        .subscribe().with(
                                result -> {
                                    switch (result) {
                                        case Ok<List<io.funcpipe.rag.SearchHit>>(List<io.funcpipe.rag.SearchHit> hits) ->
                                                message.reply(SearchRequestJson.hits(request.index(), query.mode(), hits));
                                        case Err<List<io.funcpipe.rag.SearchHit>>(ErrInfo error) ->
                                                message.fail(failureCode(error), error.code() == ErrCode.INVALID_INPUT
                                                        ? "mode: " + error.message() : error.message());
                                    }
                                },
                                failure -> {
                                    LOG.log(Level.WARNING, "a search of the index '" + request.index() + "' failed: " + failure,
                                            failure);
                                    message.fail(IndexAddresses.INTERNAL_ERROR, "the search failed: " + failure);
                                });
            }
        });
    }

    /**
     * {@code funcpipe.index.delete}: the named documents out of the index, their chunks and records in
     * one commit (as {@code funcpipe delete} does on a folder), under the same access rule as a search.
     * Ids the index does not hold are counted in {@code requested} but not in {@code documents}.
     */
    private void onDelete(Message<Object> message) {
        Caller caller = Caller.from(message.headers());
        if (!(message.body() instanceof JsonObject body)) {
            message.fail(IndexAddresses.BAD_REQUEST, "body: funcpipe.index.delete takes a JSON object "
                    + "{\"index\": NAME, \"ids\": [DOC_ID, ...]}");
            return;
        }
        for (String field : body.fieldNames()) {
            if (!field.equals("index") && !field.equals("ids")) {
                message.fail(IndexAddresses.BAD_REQUEST, field + ": unknown field; funcpipe.index.delete takes index and ids");
                return;
            }
        }
        if (!(body.getValue("index") instanceof String name)) {
            message.fail(IndexAddresses.BAD_REQUEST, "index: the index's name is required (a string)");
            return;
        }
        Optional<ErrInfo> badName = IndexNames.check(name);
        if (badName.isPresent()) {
            message.fail(IndexAddresses.BAD_REQUEST, "index: " + badName.get().message());
            return;
        }
        if (!(body.getValue("ids") instanceof JsonArray ids) || ids.isEmpty() || ids.size() > IndexAddresses.MAX_DELETE_IDS
                || ids.stream().anyMatch(id -> !(id instanceof String text) || text.isBlank())) {
            message.fail(IndexAddresses.BAD_REQUEST, "ids: a list of 1 to " + IndexAddresses.MAX_DELETE_IDS
                    + " document ids (non-empty strings) is required");
            return;
        }
        Optional<String> refused = refusal(caller, name);
        if (refused.isPresent()) {
            message.fail(IndexAddresses.FORBIDDEN, refused.get());
            return;
        }
        List<String> wanted = ids.stream().map(String.class::cast).distinct().toList();
        Path dir = registry.root().resolve(name);
        vertx.executeBlocking(() -> IndexManifest.read(dir), false).onComplete(read -> {
            if (read.failed()) {
                message.fail(IndexAddresses.INTERNAL_ERROR, "reading the manifest of the index '" + name + "' failed: "
                        + read.cause().getMessage());
                return;
            }
            if (read.result().isEmpty()) {
                message.fail(IndexAddresses.NOT_FOUND, "no index is named '" + name + "' on this service: "
                        + "funcpipe.index.list (GET /v1/indexes) names them");
                return;
            }
            IndexManifest manifest = read.result().get();
            registry.index(new IndexTarget(name, manifest.embedder(), manifest.dimensions())).onComplete(opened -> {
                if (opened.failed()) {
                    message.fail(IndexAddresses.INTERNAL_ERROR, "opening the index '" + name + "' failed: " + opened.cause());
                    return;
                }
                switch (opened.result()) {
                    case Err<IndexLease>(ErrInfo error) -> message.fail(failureCode(error), error.message());
                    case Ok<IndexLease>(IndexLease lease) -> lease.run(index -> index.delete(wanted)
                            .flatMap(deleted -> index.commit().map(ignored -> deleted))).subscribe().with(
                                    result -> {
                                        switch (result) {
                                            case Ok<io.funcpipe.rag.Deletion>(io.funcpipe.rag.Deletion d) -> {
                                                LOG.log(Level.INFO, () -> caller.principal() + " deleted " + d.documents()
                                                        + " documents (" + d.chunks() + " chunks) from the index " + name);
                                                message.reply(new JsonObject().put("index", name).put("requested", wanted.size())
                                                        .put("documents", d.documents()).put("chunks", d.chunks()));
                                            }
                                            case Err<io.funcpipe.rag.Deletion>(ErrInfo error) ->
                                                    message.fail(failureCode(error), error.message());
                                        }
                                    },
                                    failure -> message.fail(IndexAddresses.INTERNAL_ERROR, "the deletion failed: " + failure));
                }
            });
        });
    }

    /** The failure code of an error: 400 for a request the index cannot run, 503 for what may pass, else 500. */
    private static int failureCode(ErrInfo error) {
        return switch (error.code()) {
            case INVALID_INPUT -> IndexAddresses.BAD_REQUEST;
            case UNAVAILABLE, TIMEOUT, RATE_LIMITED -> IndexAddresses.UNAVAILABLE;
            default -> IndexAddresses.INTERNAL_ERROR;
        };
    }

    private void onList(Message<Object> message) {
        Caller caller = Caller.from(message.headers());
        if (message.body() != null && !(message.body() instanceof JsonObject)) {
            message.fail(IndexAddresses.BAD_REQUEST, "body: funcpipe.index.list takes {} or no body, got "
                    + message.body().getClass().getSimpleName());
            return;
        }
        vertx.executeBlocking(() -> listing(caller), false).onComplete(listed -> {
            if (listed.succeeded()) {
                message.reply(listed.result());
            } else {
                message.fail(IndexAddresses.INTERNAL_ERROR, "listing the indexes under " + registry.root() + " failed: "
                        + listed.cause().getMessage());
            }
        });
    }

    /** Every folder under the root that holds an index manifest and a Lucene index, by name. */
    private JsonObject listing(Caller caller) throws IOException {
        JsonArray indexes = new JsonArray();
        List<Path> dirs = new ArrayList<>();
        if (Files.isDirectory(registry.root())) {
            try (Stream<Path> children = Files.list(registry.root())) {
                children.filter(Files::isDirectory).sorted().forEach(dirs::add);
            }
        }
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            if (IndexNames.check(name).isPresent() || refusal(caller, name).isPresent()) {
                continue;
            }
            Optional<IndexManifest> manifest = IndexManifest.read(dir);
            if (manifest.isEmpty()) {
                continue;
            }
            Result<IndexStats> stats = IndexStats.read(dir);
            if (stats instanceof Ok<IndexStats>(IndexStats s)) {
                indexes.add(new JsonObject().put("name", name).put("chunks", s.chunks()).put("documents", s.documents())
                        .put("embedder", manifest.get().embedder()).put("dimensions", manifest.get().dimensions())
                        .put("lastCommit", s.lastCommit().toString()));
            } else {
                // a manifest without a commit yet (a job opening it): listed with nothing in it
                indexes.add(new JsonObject().put("name", name).put("chunks", 0).put("documents", 0)
                        .put("embedder", manifest.get().embedder()).put("dimensions", manifest.get().dimensions())
                        .putNull("lastCommit"));
            }
        }
        return new JsonObject().put("indexes", indexes);
    }
}
