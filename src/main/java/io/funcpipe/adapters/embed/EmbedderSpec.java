package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import io.funcpipe.core.policy.Policies;

/**
 * Which embedder to open and how: what a command line or a job spec says.
 *
 * @param kind     {@link Kind#MINILM} (default), another in-process model, {@link Kind#HASH} or {@link Kind#OPENAI}
 * @param sessions in-process models: lanes (threads) that run the one ONNX session at once (0 = one per core)
 * @param openAi   OpenAI-compatible server settings; required for {@link Kind#OPENAI}, else null
 * @param policies retry, timeout and rate limit for calls to a remote embedder
 */
public record EmbedderSpec(Kind kind, int sessions, OpenAiEmbedder.Settings openAi, Policies policies) {

    /** The embedders FuncPipe ships. */
    public enum Kind {
        /** all-MiniLM-L6-v2 in process (384 dims, 128-token window). */
        MINILM(OnnxModel.MINILM),
        /** The int8 all-MiniLM-L6-v2 in process: about twice as fast, vectors close to MINILM's. */
        MINILM_Q(OnnxModel.MINILM_Q),
        /** bge-small-en-v1.5 (int8) in process: a stronger retrieval model, 512-token window. */
        BGE_SMALL_Q(OnnxModel.BGE_SMALL_Q),
        /** Feature hashing of words: no model, deterministic; for tests and quick runs. */
        HASH(null),
        /** An OpenAI-compatible {@code /v1/embeddings} server. */
        OPENAI(null);

        private final OnnxModel model;

        Kind(OnnxModel model) {
            this.model = model;
        }

        /**
         * Parses a label ({@code minilm}, {@code minilm-q}, {@code bge-small-q}, {@code hash},
         * {@code openai}), or a stored name such as {@code openai:<model>}.
         */
        public static Kind parse(String name) {
            requireNonNull(name, "name");
            String head = (name.contains(":") ? name.substring(0, name.indexOf(':')) : name).trim();
            for (Kind kind : values()) {
                if (kind.label().equalsIgnoreCase(head)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown embedder '" + name + "'; use one of " + labels());
        }

        /** Every label, comma-separated, for messages and help. */
        public static String labels() {
            return Arrays.stream(values()).map(Kind::label).collect(Collectors.joining(", "));
        }

        /** The name on the command line, in config and in an index manifest. */
        public String label() {
            return model != null ? model.label() : name().toLowerCase(Locale.ROOT);
        }

        /** The in-process model this kind runs, if it is one. */
        public Optional<OnnxModel> onnxModel() {
            return Optional.ofNullable(model);
        }
    }

    public EmbedderSpec {
        requireNonNull(kind, "kind");
        requireNonNull(policies, "policies");
        if (sessions < 0) {
            throw new IllegalArgumentException("threads must be >= 1, got " + sessions);
        }
        if (kind == Kind.OPENAI && openAi == null) {
            throw new IllegalArgumentException("the openai embedder needs the server's URL: give --openai-url http://HOST:PORT");
        }
    }
}
