package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What to search for: a text or a vector, how many hits, which chunks may match, the lowest score
 * kept and the mode. Checked when built: a query that cannot run throws {@link Invalid}, naming the
 * field at fault.
 *
 * @param text     the query text; required by {@link SearchMode#KEYWORD} and {@link SearchMode#HYBRID}
 * @param vector   a query vector instead of the text's embedding ({@link SearchMode#VECTOR}; in
 *                 {@link SearchMode#HYBRID} it stands in for the text's embedding)
 * @param k        how many hits, 1 to {@value #MAX_K}
 * @param filters  conditions on the metadata, all of which must hold
 * @param minScore hits scoring lower are dropped ({@code -Infinity}: none); compared with the mode's score
 * @param mode     how chunks are found
 */
public record SearchQuery(Optional<String> text, Optional<float[]> vector, int k, List<MetadataFilter> filters,
                          double minScore, SearchMode mode) {

    /** The largest {@code k} a query may ask for. */
    public static final int MAX_K = 1000;

    /** A query that cannot run: {@link #field()} names what is wrong. */
    public static final class Invalid extends IllegalArgumentException {
        private final String field;

        public Invalid(String field, String message) {
            super(field + ": " + message);
            this.field = requireNonNull(field, "field");
        }

        /** The field at fault ({@code query}, {@code vector}, {@code k}, {@code minScore}, ...). */
        public String field() {
            return field;
        }
    }

    public SearchQuery {
        requireNonNull(text, "text");
        requireNonNull(vector, "vector");
        requireNonNull(mode, "mode");
        filters = List.copyOf(requireNonNull(filters, "filters"));
        vector = vector.map(float[]::clone);
        if (k < 1 || k > MAX_K) {
            throw new Invalid("k", "must be from 1 to " + MAX_K + ", got " + k);
        }
        if (Double.isNaN(minScore)) {
            throw new Invalid("minScore", "must be a number, got NaN");
        }
        if (text.isPresent() && text.get().isBlank()) {
            throw new Invalid("query", "the query text is empty: give some words to search for");
        }
        if (vector.isPresent()) {
            float[] v = vector.get();
            if (v.length == 0) {
                throw new Invalid("vector", "is empty: give the query vector's numbers");
            }
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new Invalid("vector", "element " + i + " is not a finite number: " + v[i]);
                }
            }
        }
        switch (mode) {
            case VECTOR -> {
                if (text.isEmpty() && vector.isEmpty()) {
                    throw new Invalid("query", "give a query text (or a vector) to search for");
                }
                if (text.isPresent() && vector.isPresent()) {
                    throw new Invalid("vector", "give a query text or a vector, not both, in vector mode "
                            + "(hybrid mode takes both: the text for keywords, the vector for similarity)");
                }
            }
            case KEYWORD -> {
                if (text.isEmpty()) {
                    throw new Invalid("query", "keyword mode searches for words: give a query text");
                }
                if (vector.isPresent()) {
                    throw new Invalid("vector", "keyword mode searches the text only: leave the vector out, "
                            + "or use hybrid mode");
                }
            }
            case HYBRID -> {
                if (text.isEmpty()) {
                    throw new Invalid("query", "hybrid mode searches for words too: give a query text");
                }
            }
        }
    }

    /** The {@code k} chunks closest to {@code text} in {@code mode}, with no filter and no lowest score. */
    public static SearchQuery text(String text, int k, SearchMode mode) {
        return new SearchQuery(Optional.of(requireNonNull(text, "text")), Optional.empty(), k, List.of(),
                Double.NEGATIVE_INFINITY, mode);
    }

    /** A copy with these filters. */
    public SearchQuery withFilters(List<MetadataFilter> conditions) {
        return new SearchQuery(text, vector, k, conditions, minScore, mode);
    }

    /** A copy that drops hits scoring below {@code score}. */
    public SearchQuery withMinScore(double score) {
        return new SearchQuery(text, vector, k, filters, score, mode);
    }

    /** The query vector (a copy), if one was given. */
    @Override
    public Optional<float[]> vector() {
        return vector.map(float[]::clone);
    }
}
