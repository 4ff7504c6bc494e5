package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a query finds chunks. */
public enum SearchMode {
    /** Nearest neighbours of the query's vector (HNSW, cosine); the score is the cosine similarity. */
    VECTOR,
    /** BM25 over the chunks' text; the score is the BM25 score. */
    KEYWORD,
    /** Both rankings fused by reciprocal rank fusion ({@link RankFusion}); the score is the fused score. */
    HYBRID;

    /** The word in a request and on the command line: {@code vector}, {@code keyword}, {@code hybrid}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode {@code label} names (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted labels
     */
    public static SearchMode parse(String label) {
        requireNonNull(label, "label");
        for (SearchMode mode : values()) {
            if (mode.label().equalsIgnoreCase(label.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown search mode '" + label + "'; use one of " + labels());
    }

    /** Every label, comma-separated. */
    public static String labels() {
        return Arrays.stream(values()).map(SearchMode::label).collect(Collectors.joining(", "));
    }
}
