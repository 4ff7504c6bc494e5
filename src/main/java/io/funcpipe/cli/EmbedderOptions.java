package io.funcpipe.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The options that choose and tune the embedder, shared by {@code ingest} and {@code query}. */
final class EmbedderOptions {

    @Option(names = "--embedder", paramLabel = "NAME",
            description = "minilm (in-process all-MiniLM-L6-v2, 384 dims), minilm-q (its int8 quantization: about twice "
                    + "as fast, vectors close to minilm's), bge-small-q (bge-small-en-v1.5 int8: stronger retrieval, "
                    + "512-token window), hash (no model: quick runs and tests) or openai (an OpenAI-compatible "
                    + "/v1/embeddings server). An index keeps the one it was built with. Default: what the index was "
                    + "built with, else minilm.")
    String name;

    @Option(names = "--threads", paramLabel = "N",
            description = "In-process models: threads that run the model at once, each a lane of its one single-threaded ONNX session (default: the number of cores).")
    Integer threads;

    @Option(names = "--openai-url", paramLabel = "URL",
            description = "openai: the server's base URL, such as http://127.0.0.1:8000 (/v1/embeddings is added).")
    String openAiUrl;

    @Option(names = "--openai-model", paramLabel = "MODEL", defaultValue = "text-embedding-3-small",
            description = "openai: the model name (default: ${DEFAULT-VALUE}).")
    String openAiModel;

    @Option(names = "--openai-dimensions", paramLabel = "N", defaultValue = "1536",
            description = "openai: the vectors' length as the model returns them (default: ${DEFAULT-VALUE}).")
    int openAiDimensions;

    @Option(names = "--openai-key-env", paramLabel = "VAR", defaultValue = "OPENAI_API_KEY",
            description = "openai: the environment variable holding the API key, if any (default: ${DEFAULT-VALUE}).")
    String openAiKeyEnv;

    @Option(names = "--policies", paramLabel = "FILE",
            description = "A JSON or YAML file of policies (retry, timeout, rateLimit, backpressure) for calls to the "
                    + "embedding service; see docs/policies.md. Default: the documented defaults.")
    Path policies;
}
