package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.embed.Embedders;

/**
 * What a service accepts in a job spec beyond its shape: where files may be read, which embedder
 * runs, and how large a chunk that embedder takes.
 *
 * @param inputRoots the folders source paths must lie under (empty: URLs only)
 * @param embedder   the service's embedder
 * @param window     that embedder's window in tokens: the largest {@code chunking.maxTokens}
 */
public record SpecRules(List<Path> inputRoots, EmbedderSpec.Kind embedder, int window) {

    /** [CLS] and [SEP]: the tokens every chunk spends on the model's markers (both shipped tokenizers count 2). */
    static final int SPECIAL_TOKENS = 2;

    public SpecRules {
        inputRoots = List.copyOf(requireNonNull(inputRoots, "inputRoots"));
        requireNonNull(embedder, "embedder");
        if (window <= SPECIAL_TOKENS) {
            throw new IllegalArgumentException("window must be > " + SPECIAL_TOKENS + ", got " + window);
        }
    }

    /** The rules of a supervisor with these options. */
    public static SpecRules of(SupervisorOptions options) {
        return new SpecRules(options.inputRoots(), options.kind(), Embedders.window(options.kind()));
    }
}
