package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

import io.funcpipe.core.policy.Policies;

/**
 * Which embedder to open and how: what a command line or a job spec says.
 *
 * @param kind     {@link Kind#MINILM} (default), {@link Kind#HASH} or {@link Kind#OPENAI}
 * @param sessions MiniLM: ONNX sessions (0 = one per core)
 * @param openAi   OpenAI-compatible server settings; required for {@link Kind#OPENAI}, else null
 * @param policies retry, timeout and rate limit for calls to a remote embedder
 */
public record EmbedderSpec(Kind kind, int sessions, OpenAiEmbedder.Settings openAi, Policies policies) {

    /** The embedders FuncPipe ships. */
    public enum Kind {
        /** all-MiniLM-L6-v2 in process (384 dims, 128-token window). */
        MINILM,
        /** Feature hashing of words: no model, deterministic; for tests and quick runs. */
        HASH,
        /** An OpenAI-compatible {@code /v1/embeddings} server. */
        OPENAI;

        /** Parses {@code minilm|hash|openai}, or a stored name such as {@code openai:<model>}. */
        public static Kind parse(String name) {
            requireNonNull(name, "name");
            String head = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            for (Kind kind : values()) {
                if (kind.name().equalsIgnoreCase(head.trim())) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown embedder '" + name + "'; use one of minilm, hash, openai");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
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
