package io.funcpipe.service.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.funcpipe.rag.MetadataFilter;
import io.funcpipe.rag.SearchHit;
import io.funcpipe.rag.SearchMode;
import io.funcpipe.rag.SearchQuery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A {@code funcpipe.index.search} request read from JSON, and its hits written back. Every
 * problem is a {@link SearchQuery.Invalid} naming its field: the field's type here, the query's
 * rules in {@link SearchQuery}.
 *
 * <pre>{@code
 * {"index": "sotu", "query": "the union", "k": 10, "mode": "hybrid",
 *  "filter": {"president": "Lincoln", "year": 1862, "words": {"min": 100, "max": 5000}}, "minScore": 0.01}
 * }</pre>
 * A filter value that is a string must equal the metadata value exactly; a number must equal it as a
 * number ({@code 1862} matches "1862" and "1862.0"); {@code {"min", "max"}} is an inclusive numeric
 * range (either bound may be left out).
 */
final class SearchRequestJson {

    /** {@code k} when the request leaves it out. */
    static final int DEFAULT_K = 10;
    private static final Set<String> FIELDS = Set.of("index", "query", "vector", "k", "filter", "minScore", "mode");

    /** A request read: the index's name and the query. */
    record Request(String index, SearchQuery query) {
    }

    private SearchRequestJson() {
    }

    /** Reads a request body; throws {@link SearchQuery.Invalid} naming the first field at fault. */
    static Request read(Object body) {
        if (!(body instanceof JsonObject json)) {
            throw new SearchQuery.Invalid("body", "a search request is a JSON object such as "
                    + "{\"index\": \"sotu\", \"query\": \"the union\", \"k\": 10}, got "
                    + (body == null ? "no body" : body.getClass().getSimpleName()));
        }
        for (String name : new TreeMap<>(json.getMap()).keySet()) {
            if (!FIELDS.contains(name)) {
                throw new SearchQuery.Invalid(name, "unknown field; known fields are " + new java.util.TreeSet<>(FIELDS));
            }
        }
        String index = string(json, "index").orElseThrow(() -> new SearchQuery.Invalid("index",
                "name the index to search"));
        Optional<String> text = string(json, "query");
        Optional<float[]> vector = vector(json);
        int k = integer(json, "k").orElse(DEFAULT_K);
        double minScore = number(json, "minScore").orElse(Double.NEGATIVE_INFINITY);
        SearchMode mode;
        try {
            mode = string(json, "mode").map(SearchMode::parse).orElse(SearchMode.VECTOR);
        } catch (IllegalArgumentException e) {
            throw new SearchQuery.Invalid("mode", e.getMessage());
        }
        return new Request(index, new SearchQuery(text, vector, k, filters(json), minScore, mode));
    }

    /** The reply: {@code {"index", "mode", "hits": [...]}}. */
    static JsonObject hits(String index, SearchMode mode, List<SearchHit> hits) {
        JsonArray array = new JsonArray();
        for (SearchHit hit : hits) {
            array.add(new JsonObject().put("score", hit.score()).put("documentId", hit.docId())
                    .put("chunkId", hit.chunkId()).put("location", hit.location()).put("text", hit.text())
                    .put("metadata", new JsonObject(new TreeMap<String, Object>(hit.metadata()))));
        }
        return new JsonObject().put("index", index).put("mode", mode.label()).put("hits", array);
    }

    private static Optional<String> string(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw new SearchQuery.Invalid(field, "must be a string, got " + value);
        }
        return Optional.of(s);
    }

    private static Optional<Integer> integer(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
            throw new SearchQuery.Invalid(field, "must be a whole number from 1 to " + SearchQuery.MAX_K + ", got " + value);
        }
        return Optional.of(n.intValue());
    }

    private static Optional<Double> number(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Number n)) {
            throw new SearchQuery.Invalid(field, "must be a number, got " + value);
        }
        return Optional.of(n.doubleValue());
    }

    private static Optional<float[]> vector(JsonObject json) {
        Object value = json.getValue("vector");
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonArray array)) {
            throw new SearchQuery.Invalid("vector", "must be an array of numbers, got " + value);
        }
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            if (!(array.getValue(i) instanceof Number n)) {
                throw new SearchQuery.Invalid("vector", "element " + i + " must be a number, got " + array.getValue(i));
            }
            v[i] = n.floatValue();
        }
        return Optional.of(v);
    }

    private static List<MetadataFilter> filters(JsonObject json) {
        Object value = json.getValue("filter");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonObject filter)) {
            throw new SearchQuery.Invalid("filter", "must be an object of metadata fields, such as "
                    + "{\"president\": \"Lincoln\", \"year\": {\"min\": 1860, \"max\": 1865}}, got " + value);
        }
        List<MetadataFilter> conditions = new ArrayList<>();
        for (Map.Entry<String, Object> e : new TreeMap<>(filter.getMap()).entrySet()) {
            String where = "filter." + e.getKey();
            if (e.getKey().isBlank()) {
                throw new SearchQuery.Invalid("filter", "a metadata field name is empty");
            }
            Object v = filter.getValue(e.getKey());
            switch (v) {
                case String s -> conditions.add(MetadataFilter.equalTo(e.getKey(), s));
                case Number n when Double.isFinite(n.doubleValue()) ->
                        conditions.add(MetadataFilter.between(e.getKey(), n.doubleValue(), n.doubleValue()));
                case JsonObject range -> conditions.add(range(where, e.getKey(), range));
                case null, default -> throw new SearchQuery.Invalid(where, "must be a string (equal to), a number "
                        + "(equal to, as a number) or {\"min\": LOW, \"max\": HIGH} (a numeric range), got " + v);
            }
        }
        return conditions;
    }

    private static MetadataFilter range(String where, String field, JsonObject range) {
        for (String name : range.fieldNames()) {
            if (!name.equals("min") && !name.equals("max")) {
                throw new SearchQuery.Invalid(where + "." + name, "unknown field; a range takes min and max");
            }
        }
        double min = bound(range, where, "min", Double.NEGATIVE_INFINITY);
        double max = bound(range, where, "max", Double.POSITIVE_INFINITY);
        if (min > max) {
            throw new SearchQuery.Invalid(where, "the range is empty: min " + min + " is above max " + max);
        }
        return MetadataFilter.between(field, min, max);
    }

    private static double bound(JsonObject range, String where, String name, double open) {
        Object value = range.getValue(name);
        if (value == null) {
            return open;
        }
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new SearchQuery.Invalid(where + "." + name, "must be a number, got " + value);
        }
        return n.doubleValue();
    }
}
