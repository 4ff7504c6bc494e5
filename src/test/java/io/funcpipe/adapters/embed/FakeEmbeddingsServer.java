package io.funcpipe.adapters.embed;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A local server on 127.0.0.1 that answers like an OpenAI-compatible {@code /v1/embeddings}: each
 * request takes the next scripted status ({@link #otherwise}, 200 unless set, once the script is used up); 200 answers carry one
 * vector per input, listed in reverse order with their {@code index}, as the API allows.
 */
public final class FakeEmbeddingsServer implements AutoCloseable {

    public static final int DIMS = 4;

    private final Vertx vertx;
    private final HttpServer server;
    private final Deque<Integer> script = new ConcurrentLinkedDeque<>();
    public final AtomicInteger requests = new AtomicInteger();
    /** The {@code input} of every request, in arrival order. */
    public final List<JsonArray> inputs = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The status answered once the script is used up. */
    public volatile int otherwise = 200;
    final List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile String retryAfter = "0.2";

    public FakeEmbeddingsServer(Vertx vertx) {
        this.vertx = vertx;
        this.server = vertx.createHttpServer().requestHandler(this::handle);
        server.listen(0, "127.0.0.1").await();
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Forgets scripted answers a previous test left unused. */
    void clearScript() {
        script.clear();
    }

    public void answerNext(Integer... statuses) {
        script.addAll(List.of(statuses));
    }

    private void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        arrivals.add(System.nanoTime());
        authorizations.add(String.valueOf(request.getHeader("Authorization")));
        request.body().onSuccess(body -> {
            inputs.add(body.toJsonObject().getJsonArray("input", new JsonArray()));
            Integer scripted = script.poll();
            int status = scripted == null ? otherwise : scripted;
            var response = request.response().setStatusCode(status);
            if (status == 429) {
                response.putHeader("Retry-After", retryAfter);
            }
            if (status != 200) {
                response.end(new JsonObject().put("error", new JsonObject().put("message", "scripted " + status)).encode());
                return;
            }
            JsonArray input = body.toJsonObject().getJsonArray("input");
            List<JsonObject> data = new ArrayList<>();
            for (int i = input.size() - 1; i >= 0; i--) {
                String text = input.getString(i);
                JsonArray v = new JsonArray().add(text.length()).add(1.0).add(0.0).add(i);
                data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", v));
            }
            response.putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("object", "list").put("data", new JsonArray(data)).encode());
        });
    }

    /** Requests whose input is not exactly {@code [text]}, such as every request but readiness probes. */
    public long requestsWithout(String text) {
        return inputs.stream().filter(input -> !(input.size() == 1 && text.equals(input.getValue(0)))).count();
    }

    @Override
    public void close() {
        server.close().await();
    }
}
