package io.funcpipe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.embed.EmbedderSpec.Kind;
import io.funcpipe.adapters.embed.Embedders;
import io.funcpipe.adapters.embed.EmbeddingModel;
import io.funcpipe.adapters.embed.OpenAiEmbedder;
import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.adapters.json.PolicyJson;
import io.funcpipe.core.policy.Policies;
import io.vertx.core.Vertx;

/**
 * Turns the embedder options into an open embedder: the one named, else the one the index was
 * built with (from its manifest), else MiniLM.
 */
final class EmbeddingChoice {

    private EmbeddingChoice() {
    }

    /** Opens the embedder; {@code vertx} is asked for its instance only by an OpenAI-compatible one. */
    static EmbeddingModel open(EmbedderOptions options, Path index, Supplier<Vertx> vertx) throws IOException {
        Optional<IndexManifest> manifest = IndexManifest.read(index);
        String name = options.name != null ? options.name : manifest.map(IndexManifest::embedder).orElse("minilm");
        Kind kind = IngestCommand.usage(() -> Kind.parse(name));
        Policies policies = options.policies == null ? Policies.DEFAULT : readPolicies(options.policies);
        OpenAiEmbedder.Settings openAi = null;
        if (kind == Kind.OPENAI) {
            if (options.openAiUrl == null) {
                throw new UsageException("the openai embedder needs the server's URL: give --openai-url http://HOST:PORT");
            }
            String model = name.startsWith("openai:") ? name.substring("openai:".length()) : options.openAiModel;
            int dimensions = manifest.filter(m -> m.embedder().equals("openai:" + model))
                    .map(IndexManifest::dimensions).orElse(options.openAiDimensions);
            String key = System.getenv(options.openAiKeyEnv);
            OpenAiEmbedder.Settings settings = IngestCommand.usage(() -> OpenAiEmbedder.Settings.of(options.openAiUrl,
                    model, dimensions));
            openAi = settings.withApiKey(key == null ? "" : key);
        }
        if (options.threads != null && options.threads < 1) {
            throw new UsageException("--threads must be at least 1, got " + options.threads);
        }
        EmbedderSpec spec = new EmbedderSpec(kind, options.threads == null ? 0 : options.threads, openAi, policies);
        return Embedders.open(spec, kind == Kind.OPENAI ? vertx.get() : null);
    }

    private static Policies readPolicies(Path file) {
        try {
            String text = Files.readString(file);
            String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            PolicyJson json = PolicyJson.create();
            return name.endsWith(".yaml") || name.endsWith(".yml")
                    ? json.readYaml(text, Policies.class) : json.read(text, Policies.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--policies " + file + ": " + e.getMessage());
        }
    }
}
