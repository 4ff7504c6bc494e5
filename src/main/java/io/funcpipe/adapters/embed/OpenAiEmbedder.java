package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Embedder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * An embedder that calls an OpenAI-compatible {@code POST /v1/embeddings} endpoint with Vert.x's
 * web client (never blocking a thread). One call sends one batch of texts.
 *
 * <p>Answers: 200 gives the vectors (reordered by their {@code index}, normalised to unit length);
 * 429 is {@link ErrCode#RATE_LIMITED}, held back for the server's {@code Retry-After} (capped at
 * {@link Settings#maxRetryAfter()}) before it is reported so a retry comes no sooner than asked;
 * 5xx and connection failures are {@link ErrCode#UNAVAILABLE}; a timeout is {@link ErrCode#TIMEOUT};
 * other answers are {@link ErrCode#EMBED_FAILED} with the server's message. The {@code guard}
 * applies the job's policies (rate limit, retry) around every call.
 */
public final class OpenAiEmbedder implements Embedder {

    /**
     * @param baseUrl        the server, such as {@code http://127.0.0.1:8000} ({@code /v1/embeddings} is added)
     * @param model          the model name sent with each request
     * @param apiKey         the bearer token, or "" for none
     * @param dimensions     the vectors' length (as the model returns them)
     * @param timeout        the deadline of one HTTP call (default 30 s)
     * @param parallelism    calls in flight at once (default 4)
     * @param maxRetryAfter  the longest {@code Retry-After} honoured (default 60 s)
     */
    public record Settings(String baseUrl, String model, String apiKey, int dimensions, Duration timeout,
                           int parallelism, Duration maxRetryAfter) {
        public Settings {
            requireNonNull(baseUrl, "baseUrl");
            requireNonNull(model, "model");
            apiKey = apiKey == null ? "" : apiKey;
            requireNonNull(timeout, "timeout");
            requireNonNull(maxRetryAfter, "maxRetryAfter");
            if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
                throw new IllegalArgumentException("openai.url must start with http:// or https://, got '" + baseUrl + "'");
            }
            if (dimensions < 1) {
                throw new IllegalArgumentException("openai.dimensions must be >= 1, got " + dimensions);
            }
            if (parallelism < 1) {
                throw new IllegalArgumentException("openai.parallelism must be >= 1, got " + parallelism);
            }
        }

        /** Settings with the defaults: no key, 30 s timeout, 4 calls at once, Retry-After up to 60 s. */
        public static Settings of(String baseUrl, String model, int dimensions) {
            return new Settings(baseUrl, model, "", dimensions, Duration.ofSeconds(30), 4, Duration.ofSeconds(60));
        }

        public Settings withApiKey(String apiKey) {
            return new Settings(baseUrl, model, apiKey, dimensions, timeout, parallelism, maxRetryAfter);
        }

        public Settings withTimeout(Duration timeout) {
            return new Settings(baseUrl, model, apiKey, dimensions, timeout, parallelism, maxRetryAfter);
        }

        public Settings withParallelism(int parallelism) {
            return new Settings(baseUrl, model, apiKey, dimensions, timeout, parallelism, maxRetryAfter);
        }
    }

    private final Settings settings;
    private final WebClient client;
    private final String endpoint;
    private final UnaryOperator<AsyncPlan<List<float[]>>> guard;

    /**
     * @param vertx    the Vert.x instance whose event loop runs the calls (not closed by this embedder)
     * @param settings where and how to call
     * @param guard    wraps every call in the job's policies (identity for none)
     */
    public OpenAiEmbedder(Vertx vertx, Settings settings, UnaryOperator<AsyncPlan<List<float[]>>> guard) {
        requireNonNull(vertx, "vertx");
        this.settings = requireNonNull(settings, "settings");
        this.guard = requireNonNull(guard, "guard");
        this.client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(settings.parallelism()));
        this.endpoint = settings.baseUrl().replaceAll("/+$", "") + "/v1/embeddings";
    }

    @Override
    public String name() {
        return "openai:" + settings.model();
    }

    @Override
    public int dimensions() {
        return settings.dimensions();
    }

    @Override
    public int parallelism() {
        return settings.parallelism();
    }

    @Override
    public AsyncPlan<List<float[]>> embed(List<String> texts) {
        requireNonNull(texts, "texts");
        List<String> copy = List.copyOf(texts);
        return guard.apply(AsyncPlan.defer(() -> call(copy)));
    }

    private Uni<Result<List<float[]>>> call(List<String> texts) {
        JsonObject body = new JsonObject().put("model", settings.model()).put("input", new JsonArray(new ArrayList<>(texts)));
        var request = client.postAbs(endpoint).timeout(settings.timeout().toMillis());
        if (!settings.apiKey().isEmpty()) {
            request.bearerTokenAuthentication(settings.apiKey());
        }
        return Uni.createFrom().completionStage(() -> request.sendJsonObject(body).toCompletionStage())
                .onItem().transformToUni(response -> answer(response, texts.size()))
                .onFailure().recoverWithItem(e -> Result.err(ErrInfo.fromException(
                        e.getClass().getSimpleName().contains("Timeout") ? ErrCode.TIMEOUT : ErrCode.UNAVAILABLE, e)
                        .withMessage("calling " + endpoint + " failed: " + e.getMessage())));
    }

    private Uni<Result<List<float[]>>> answer(HttpResponse<Buffer> response, int expected) {
        int status = response.statusCode();
        if (status == 200) {
            return Uni.createFrom().item(Result.attempt(() -> vectors(response.bodyAsJsonObject(), expected)));
        }
        String message = endpoint + " answered " + status + ": " + errorMessage(response);
        if (status == 429) {
            Duration wait = retryAfter(response.getHeader("Retry-After"));
            ErrInfo err = ErrInfo.of(ErrCode.RATE_LIMITED, message).withDetail("retryAfterMillis", Long.toString(wait.toMillis()));
            Uni<Result<List<float[]>>> item = Uni.createFrom().item(Result.err(err));
            return wait.isZero() ? item : item.onItem().delayIt().by(wait);
        }
        ErrCode code = status >= 500 ? ErrCode.UNAVAILABLE : ErrCode.EMBED_FAILED;
        return Uni.createFrom().item(Result.err(ErrInfo.of(code, message).withDetail("status", Integer.toString(status))));
    }

    private List<float[]> vectors(JsonObject json, int expected) {
        JsonArray data = json.getJsonArray("data");
        if (data == null || data.size() != expected) {
            throw new IllegalStateException("expected " + expected + " embeddings in 'data', got "
                    + (data == null ? "no 'data' field" : data.size()));
        }
        float[][] out = new float[expected][];
        for (int i = 0; i < data.size(); i++) {
            JsonObject item = data.getJsonObject(i);
            int index = item.getInteger("index", i);
            JsonArray embedding = item.getJsonArray("embedding");
            if (embedding.size() != settings.dimensions()) {
                throw new IllegalStateException("model " + settings.model() + " returned " + embedding.size()
                        + " dimensions, expected " + settings.dimensions() + "; set the embedder's dimensions to match");
            }
            out[index] = normalised(embedding);
        }
        return List.of(out);
    }

    private static float[] normalised(JsonArray embedding) {
        float[] v = new float[embedding.size()];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = embedding.getNumber(i).floatValue();
            norm += v[i] * v[i];
        }
        double scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] * scale);
        }
        return v;
    }

    private static String errorMessage(HttpResponse<Buffer> response) {
        String body = response.bodyAsString();
        if (body == null) {
            return "(no body)";
        }
        try {
            JsonObject error = new JsonObject(body).getJsonObject("error");
            if (error != null && error.getString("message") != null) {
                return error.getString("message");
            }
        } catch (RuntimeException notJson) {
            // fall through to the raw body
        }
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    /** Retry-After in seconds (the HTTP-date form is treated as absent), capped. */
    private Duration retryAfter(String header) {
        if (header == null) {
            return Duration.ZERO;
        }
        try {
            double seconds = Double.parseDouble(header.trim().toLowerCase(Locale.ROOT));
            Duration wait = Duration.ofMillis((long) (Math.max(seconds, 0) * 1000));
            return wait.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : wait;
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
