package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.funcpipe.rag.SyncMode;

import io.funcpipe.adapters.source.FieldMapping;
import io.funcpipe.adapters.source.Format;
import io.funcpipe.core.policy.Policies;
import io.smallrye.common.annotation.CheckReturnValue;

/**
 * One ingestion job, as data: what to read, how to cut it, which index to write, under which
 * policies, with which share of the embed capacity. Read from JSON by {@link JobSpecJson}, which
 * reports every problem with the field's path; the constructor checks the same invariants and
 * throws on the first.
 *
 * <p>JSON form (every field but {@code sources} and {@code index} may be left out):
 * <pre>{@code
 * {"sources": ["sotu/", "https://example.org/feed.jsonl"], "format": "auto",
 *  "fields": {"id": "id", "text": "text", "metadata": []},
 *  "index": "sotu", "chunking": {"maxTokens": 0, "overlap": 0},
 *  "embedder": "minilm", "policies": {"retry": {"maxAttempts": 5}}, "weight": 1, "sync": "incremental"}
 * }</pre>
 *
 * @param sources  files, folders or http(s) URLs, read in order; at least one. After validation,
 *                 paths are absolute real paths under the service's input roots.
 * @param format   auto (by extension, default), csv, jsonl or text
 * @param fields   which CSV columns / JSONL fields make the id, the text and the metadata;
 *                 default {@link FieldMapping#defaults()}
 * @param index    the index's name (a folder under the service's index root): letters, digits,
 *                 {@code -}, {@code _} and {@code .}, at most {@value #MAX_INDEX_NAME} characters,
 *                 starting with a letter or a digit, not a path
 * @param chunking chunk size and overlap in model tokens; default {@link Chunking#DEFAULT}
 * @param embedder the embedder the job expects, or null to take the service's; when given it must
 *                 be the service's
 * @param policies retry, per-item and per-stream timeouts and rate limit for the job's embed calls;
 *                 default {@link Policies#DEFAULT}
 * @param weight   the job's share of the embed capacity against other jobs, 1 to
 *                 {@value #MAX_WEIGHT}; default 1
 * @param sync     how the index follows the sources ({@link SyncMode}): none, incremental (default) or full
 */
public record JobSpec(List<String> sources, Format format, FieldMapping fields, String index, Chunking chunking,
                      String embedder, Policies policies, int weight, SyncMode sync) {

    /** The largest weight. */
    public static final int MAX_WEIGHT = 1000;

    /** The longest index name. */
    public static final int MAX_INDEX_NAME = 128;

    private static final Pattern INDEX_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public JobSpec {
        requireNonNull(sources, "sources");
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("sources must not be empty: give at least one file, folder or http(s) URL");
        }
        requireNonNull(format, "format");
        requireNonNull(fields, "fields");
        requireNonNull(index, "index");
        indexNameProblem(index).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        requireNonNull(chunking, "chunking");
        requireNonNull(policies, "policies");
        requireNonNull(sync, "sync");
        weightProblem(weight).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /** A spec with every default: auto format, default fields and chunking, the service's embedder, weight 1. */
    public static JobSpec of(List<String> sources, String index) {
        return new JobSpec(sources, Format.AUTO, FieldMapping.defaults(), index, Chunking.DEFAULT, null, Policies.DEFAULT, 1,
                SyncMode.INCREMENTAL);
    }

    /** What is wrong with {@code index} as an index name, or empty when it is a good one. */
    public static Optional<String> indexNameProblem(String index) {
        if (index.isEmpty()) {
            return Optional.of("index must not be empty: name the index, such as \"docs\"");
        }
        if (index.length() > MAX_INDEX_NAME) {
            return Optional.of("index must be at most " + MAX_INDEX_NAME + " characters, got " + index.length());
        }
        if (!INDEX_NAME.matcher(index).matches() || index.contains("..") || index.equals(".")) {
            return Optional.of("index must be a simple name (letters, digits, '-', '_', '.'; no '..'), not a path, got \""
                    + index + "\"; the index is a folder under the service's index root");
        }
        if (!Character.isLetterOrDigit(index.charAt(0)) || index.charAt(0) > 0x7f) {
            return Optional.of("index must start with a letter or a digit, got \"" + index + "\" (names such as "
                    + "\".git\" or \"-rf\" would be hidden folders or read as options); name it such as \"docs\"");
        }
        return Optional.empty();
    }

    /** What is wrong with {@code weight}, or empty when it is in range. */
    public static Optional<String> weightProblem(int weight) {
        if (weight < 1) {
            return Optional.of("weight must be >= 1, got " + weight);
        }
        if (weight > MAX_WEIGHT) {
            return Optional.of("weight must be <= " + MAX_WEIGHT + ", got " + weight);
        }
        return Optional.empty();
    }

    @CheckReturnValue
    public JobSpec withSources(List<String> sources) {
        return new JobSpec(sources, format, fields, index, chunking, embedder, policies, weight, sync);
    }

    @CheckReturnValue
    public JobSpec withFormat(Format format) {
        return new JobSpec(sources, format, fields, index, chunking, embedder, policies, weight, sync);
    }

    @CheckReturnValue
    public JobSpec withFields(FieldMapping fields) {
        return new JobSpec(sources, format, fields, index, chunking, embedder, policies, weight, sync);
    }

    @CheckReturnValue
    public JobSpec withIndex(String index) {
        return new JobSpec(sources, format, fields, index, chunking, embedder, policies, weight, sync);
    }

    @CheckReturnValue
    public JobSpec withChunking(Chunking chunking) {
        return new JobSpec(sources, format, fields, index, chunking, embedder, policies, weight, sync);
    }

    /** A copy that expects {@code embedder} (null: whatever the service has). */
    @CheckReturnValue
    public JobSpec withEmbedder(String embedder) {
        return new JobSpec(sources, format, fields, index, chunking, embedder, policies, weight, sync);
    }

    @CheckReturnValue
    public JobSpec withPolicies(Policies policies) {
        return new JobSpec(sources, format, fields, index, chunking, embedder, policies, weight, sync);
    }

    @CheckReturnValue
    public JobSpec withSync(SyncMode sync) {
        return new JobSpec(sources, format, fields, index, chunking, embedder, policies, weight, sync);
    }

    @CheckReturnValue
    public JobSpec withWeight(int weight) {
        return new JobSpec(sources, format, fields, index, chunking, embedder, policies, weight, sync);
    }

    /**
     * How documents are cut into chunks.
     *
     * @param maxTokens the largest chunk in model tokens, special tokens included; 0 (default) means
     *                  the embedder's window; at most the window
     * @param overlap   tokens of a chunk's end repeated at the start of the next; default 0; at most
     *                  half of a chunk's room for text
     */
    public record Chunking(int maxTokens, int overlap) {

        /** The model window, no overlap. */
        public static final Chunking DEFAULT = new Chunking(0, 0);

        public Chunking {
            if (maxTokens < 0) {
                throw new IllegalArgumentException("chunking.maxTokens must be >= 0 (0 = the model window), got " + maxTokens);
            }
            if (overlap < 0) {
                throw new IllegalArgumentException("chunking.overlap must be >= 0, got " + overlap);
            }
        }
    }
}
