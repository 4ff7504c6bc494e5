package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.embed.Embedders;
import io.funcpipe.adapters.source.UrlPolicy;

/**
 * What a service accepts in a job spec beyond its shape: where files may be read, which URLs may be
 * fetched, which embedder runs, how large a chunk that embedder takes, and the bounds on a spec.
 *
 * @param inputRoots the folders source paths must lie under (empty: URLs only)
 * @param embedder   the service's embedder
 * @param window     that embedder's window in tokens: the largest {@code chunking.maxTokens}
 * @param urls       which URL sources are accepted ({@code fetch.allowHosts}, checked after DNS resolution)
 * @param limits     sources per spec, spec size and policy bounds
 */
public record SpecRules(List<Path> inputRoots, EmbedderSpec.Kind embedder, int window, UrlPolicy urls,
                        JobLimits limits) {

    /** [CLS] and [SEP]: the tokens every chunk spends on the model's markers (both shipped tokenizers count 2). */
    static final int SPECIAL_TOKENS = 2;

    public SpecRules {
        inputRoots = List.copyOf(requireNonNull(inputRoots, "inputRoots"));
        requireNonNull(embedder, "embedder");
        if (window <= SPECIAL_TOKENS) {
            throw new IllegalArgumentException("window must be > " + SPECIAL_TOKENS + ", got " + window);
        }
        requireNonNull(urls, "urls");
        requireNonNull(limits, "limits");
    }

    /** No URL source, the default limits. */
    public SpecRules(List<Path> inputRoots, EmbedderSpec.Kind embedder, int window) {
        this(inputRoots, embedder, window, UrlPolicy.allowing(List.of()), JobLimits.defaults());
    }

    public SpecRules withUrls(UrlPolicy urls) {
        return new SpecRules(inputRoots, embedder, window, urls, limits);
    }

    public SpecRules withLimits(JobLimits limits) {
        return new SpecRules(inputRoots, embedder, window, urls, limits);
    }

    /** The rules of a supervisor with these options. */
    public static SpecRules of(SupervisorOptions options) {
        return new SpecRules(options.inputRoots(), options.kind(), Embedders.window(options.kind()), options.urls(),
                options.limits());
    }
}
