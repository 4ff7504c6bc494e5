package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import io.funcpipe.core.policy.PolicyInterpreter;
import io.vertx.core.Vertx;

/** Opens the embedder an {@link EmbedderSpec} names, with the tokenizer that sizes its chunks. */
public final class Embedders {

    /** The chunk window used with an OpenAI-compatible model, in (approximate) word-piece tokens. */
    public static final int OPENAI_WINDOW = 512;

    private Embedders() {
    }

    /**
     * The window, in tokens ([CLS] and [SEP] included), of the tokenizer {@link #open} pairs with
     * {@code kind}'s embedder: the largest chunk that embedder takes whole.
     */
    public static int window(EmbedderSpec.Kind kind) {
        requireNonNull(kind, "kind");
        return switch (kind) {
            case MINILM, MINILM_Q, BGE_SMALL_Q -> kind.onnxModel().orElseThrow().window();
            case HASH -> WordTokenizer.DEFAULT_MAX_TOKENS;
            case OPENAI -> OPENAI_WINDOW;
        };
    }

    /**
     * Opens the embedder. An in-process model is loaded here (about 1-2 s).
     *
     * @param vertx the Vert.x instance HTTP embedders call with; may be null for in-process ones
     */
    public static EmbeddingModel open(EmbedderSpec spec, Vertx vertx) {
        requireNonNull(spec, "spec");
        return switch (spec.kind()) {
            case MINILM, MINILM_Q, BGE_SMALL_Q -> {
                int sessions = spec.sessions() == 0 ? Runtime.getRuntime().availableProcessors() : spec.sessions();
                OnnxEmbedder embedder = OnnxEmbedder.load(spec.kind().onnxModel().orElseThrow(), sessions);
                yield new EmbeddingModel(embedder, embedder.tokenizer());
            }
            case HASH -> new EmbeddingModel(HashingEmbedder.of(), WordTokenizer.of());
            case OPENAI -> {
                requireNonNull(vertx, "vertx");
                PolicyInterpreter policies = PolicyInterpreter.of(spec.policies());
                yield new EmbeddingModel(new OpenAiEmbedder(vertx, spec.openAi(), policies::call),
                        WordTokenizer.of(OPENAI_WINDOW));
            }
        };
    }
}
