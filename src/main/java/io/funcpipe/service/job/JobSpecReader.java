package io.funcpipe.service.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.json.PolicyJson;
import io.funcpipe.adapters.source.FieldMapping;
import io.funcpipe.rag.SyncMode;
import io.funcpipe.adapters.source.Format;
import io.funcpipe.core.policy.Policies;

/**
 * Reads one job spec from a JSON tree, field by field, and collects every problem (never only the
 * first) with the field's path. One reader reads one spec; it touches the file system to resolve
 * source paths ({@link InputRoots}).
 */
final class JobSpecReader {

    static final List<String> FIELDS = List.of("sources", "format", "fields", "index", "chunking", "embedder",
            "policies", "weight", "sync");
    private static final List<String> FIELD_MAPPING_FIELDS = List.of("id", "text", "metadata");
    private static final List<String> CHUNKING_FIELDS = List.of("maxTokens", "overlap");
    /** Policy sections a job does not use, and why. */
    private static final List<String[]> UNUSED_POLICIES = List.of(
            new String[] {"backpressure", "a job is demand-driven end to end and needs no buffer; remove it"},
            new String[] {"fairness", "a job's share of the embed capacity is the top-level field weight; remove it "
                    + "and set weight"});
    private static final int MAX_SHOWN = 60;

    private final SpecRules rules;
    private final InputRoots roots;
    private final PolicyJson policyJson;
    private final List<SpecProblem> problems = new ArrayList<>();

    JobSpecReader(SpecRules rules, PolicyJson policyJson) {
        this.rules = rules;
        this.roots = new InputRoots(rules.inputRoots(), rules.urls());
        this.policyJson = policyJson;
    }

    SpecCheck read(JsonNode root) {
        if (root == null || !root.isObject()) {
            problem("", "the job spec must be a JSON object such as {\"sources\": [\"docs/\"], \"index\": \"docs\"}, got "
                    + shown(root));
            return new SpecCheck.Invalid(problems);
        }
        unknownFields(root, "", FIELDS);
        List<String> sources = sources(root.get("sources"));
        Format format = format(root.get("format"));
        FieldMapping fields = fields(root.get("fields"));
        String index = index(root.get("index"));
        JobSpec.Chunking chunking = chunking(root.get("chunking"));
        String embedder = embedder(root.get("embedder"));
        Policies policies = policies(root.get("policies"));
        int weight = weight(root.get("weight"));
        SyncMode sync = sync(root.get("sync"));
        if (!problems.isEmpty()) {
            return new SpecCheck.Invalid(problems);
        }
        return new SpecCheck.Valid(new JobSpec(sources, format, fields, index, chunking, embedder, policies, weight, sync));
    }

    /** none, incremental (the default) or full. */
    private SyncMode sync(JsonNode node) {
        if (node == null || node.isNull()) {
            return SyncMode.INCREMENTAL;
        }
        if (!node.isTextual()) {
            problem("sync", "sync must be \"none\", \"incremental\" or \"full\", got " + shown(node));
            return SyncMode.INCREMENTAL;
        }
        try {
            return SyncMode.parse(node.asText());
        } catch (IllegalArgumentException e) {
            problem("sync", "sync must be \"none\", \"incremental\" or \"full\", got " + shown(node));
            return SyncMode.INCREMENTAL;
        }
    }

    // ---------------------------------------------------------------- fields

    private List<String> sources(JsonNode node) {
        if (absent(node)) {
            problem("sources", "sources is required: give a non-empty list of files, folders or http(s) URLs");
            return List.of();
        }
        if (!node.isArray()) {
            problem("sources", "sources must be a list of files, folders or http(s) URLs, got " + shown(node));
            return List.of();
        }
        if (node.isEmpty()) {
            problem("sources", "sources must not be empty: give at least one file, folder or http(s) URL");
            return List.of();
        }
        int max = rules.limits().maxSources();
        if (node.size() > max) {
            problem("sources", "sources lists " + node.size() + " sources, more than the limit of " + max
                    + " per job (limits.sourcesPerJob); name folders instead of their files, or split the job");
            return List.of();
        }
        List<String> resolved = new ArrayList<>();
        Map<String, Integer> firstAt = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String field = "sources[" + i + "]";
            JsonNode element = node.get(i);
            if (!element.isTextual() || element.asText().isBlank()) {
                problem(field, field + " must be a file, folder or http(s) URL as a non-empty string, got " + shown(element));
                continue;
            }
            try {
                String source = roots.resolve(element.asText());
                Integer first = firstAt.putIfAbsent(source, i);
                if (first != null) {
                    problem(field, field + ": " + element.asText() + " is sources[" + first + "] again (" + source
                            + "); list each source once");
                    continue;
                }
                resolved.add(source);
            } catch (IllegalArgumentException e) {
                problem(field, field + ": " + e.getMessage());
            }
        }
        return resolved;
    }

    private Format format(JsonNode node) {
        if (absent(node)) {
            return Format.AUTO;
        }
        if (!node.isTextual()) {
            problem("format", "format must be one of auto, csv, jsonl, text, document, got " + shown(node));
            return Format.AUTO;
        }
        try {
            return Format.parse(node.asText());
        } catch (IllegalArgumentException e) {
            problem("format", "format: " + e.getMessage());
            return Format.AUTO;
        }
    }

    private FieldMapping fields(JsonNode node) {
        if (absent(node)) {
            return FieldMapping.defaults();
        }
        if (!node.isObject()) {
            problem("fields", "fields must be an object such as {\"id\": \"id\", \"text\": \"text\", \"metadata\": []}, got "
                    + shown(node));
            return FieldMapping.defaults();
        }
        unknownFields(node, "fields", FIELD_MAPPING_FIELDS);
        FieldMapping defaults = FieldMapping.defaults();
        String id = text(node.get("id"), "fields.id", defaults.idField(), true);
        String text = text(node.get("text"), "fields.text", defaults.textField(), false);
        List<String> metadata = new ArrayList<>();
        JsonNode list = node.get("metadata");
        if (!absent(list)) {
            if (!list.isArray()) {
                problem("fields.metadata", "fields.metadata must be a list of field names (empty: every other field), got "
                        + shown(list));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    String field = "fields.metadata[" + i + "]";
                    JsonNode name = list.get(i);
                    if (!name.isTextual() || name.asText().isBlank()) {
                        problem(field, field + " must be a field name, got " + shown(name));
                    } else {
                        metadata.add(name.asText());
                    }
                }
            }
        }
        return new FieldMapping(id, text.isBlank() ? defaults.textField() : text, metadata);
    }

    private String index(JsonNode node) {
        if (absent(node)) {
            problem("index", "index is required: name the index to write, such as \"docs\"");
            return "";
        }
        if (!node.isTextual()) {
            problem("index", "index must be a name such as \"docs\", got " + shown(node));
            return "";
        }
        JobSpec.indexNameProblem(node.asText()).ifPresent(message -> problem("index", message));
        return node.asText();
    }

    private JobSpec.Chunking chunking(JsonNode node) {
        if (absent(node)) {
            return JobSpec.Chunking.DEFAULT;
        }
        if (!node.isObject()) {
            problem("chunking", "chunking must be an object such as {\"maxTokens\": 128, \"overlap\": 0}, got " + shown(node));
            return JobSpec.Chunking.DEFAULT;
        }
        unknownFields(node, "chunking", CHUNKING_FIELDS);
        int window = rules.window();
        Integer max = whole(node.get("maxTokens"), "chunking.maxTokens", 0);
        Integer overlap = whole(node.get("overlap"), "chunking.overlap", 0);
        if (max != null && (max < 0 || max > window)) {
            problem("chunking.maxTokens", "chunking.maxTokens must be between 0 (the model window) and " + window
                    + " (the window of the " + rules.embedder().label() + " embedder), got " + max);
            max = null;
        }
        int room = max == null ? 0 : (max == 0 ? window : max) - SpecRules.SPECIAL_TOKENS;
        if (max != null && room < 1) {
            problem("chunking.maxTokens", "chunking.maxTokens " + max + " leaves no room for text after the "
                    + SpecRules.SPECIAL_TOKENS + " special tokens; use at least " + (SpecRules.SPECIAL_TOKENS + 1));
            max = null;
        }
        if (overlap != null && overlap < 0) {
            problem("chunking.overlap", "chunking.overlap must be >= 0, got " + overlap);
            overlap = null;
        }
        if (max != null && overlap != null && overlap > room / 2) {
            problem("chunking.overlap", "chunking.overlap " + overlap + " is more than half of the " + room
                    + " tokens a chunk holds for text; use at most " + room / 2);
            overlap = null;
        }
        return max == null || overlap == null ? JobSpec.Chunking.DEFAULT : new JobSpec.Chunking(max, overlap);
    }

    private String embedder(JsonNode node) {
        if (absent(node)) {
            return null;
        }
        String service = rules.embedder().label();
        if (!node.isTextual()) {
            problem("embedder", "embedder must be a name such as \"" + service + "\", got " + shown(node));
            return null;
        }
        EmbedderSpec.Kind kind;
        try {
            kind = EmbedderSpec.Kind.parse(node.asText());
        } catch (IllegalArgumentException e) {
            problem("embedder", "embedder: " + e.getMessage());
            return null;
        }
        if (kind != rules.embedder()) {
            problem("embedder", "embedder: this service embeds with " + service + ", not " + node.asText()
                    + "; leave embedder out or set it to \"" + service + "\"");
            return null;
        }
        return node.asText();
    }

    private Policies policies(JsonNode node) {
        if (absent(node)) {
            return Policies.DEFAULT;
        }
        if (!node.isObject()) {
            problem("policies", "policies must be an object such as {\"retry\": {\"maxAttempts\": 5}}, got " + shown(node));
            return Policies.DEFAULT;
        }
        boolean unused = false;
        for (String[] section : UNUSED_POLICIES) {
            if (node.has(section[0])) {
                problem("policies." + section[0], "policies." + section[0] + ": " + section[1]);
                unused = true;
            }
        }
        if (unused) {
            return Policies.DEFAULT;
        }
        try {
            Policies policies = policyJson.read(node, Policies.class);
            List<SpecProblem> bounds = rules.limits().problems(policies);
            problems.addAll(bounds);
            return bounds.isEmpty() ? policies : Policies.DEFAULT;
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String field = message.split("[ :]", 2)[0];
            problem("policies." + field, "policies." + message);
            return Policies.DEFAULT;
        }
    }

    private int weight(JsonNode node) {
        Integer weight = whole(node, "weight", 1);
        if (weight == null) {
            return 1;
        }
        JobSpec.weightProblem(weight).ifPresent(message -> problem("weight", message));
        return weight;
    }

    // ---------------------------------------------------------------- helpers

    /** A whole number, or {@code fallback} when absent, or null (with a problem) when it is not one. */
    private Integer whole(JsonNode node, String field, int fallback) {
        if (absent(node)) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            problem(field, field + " must be a whole number, got " + shown(node));
            return null;
        }
        return node.asInt();
    }

    private String text(JsonNode node, String field, String fallback, boolean mayBeEmpty) {
        if (absent(node)) {
            return fallback;
        }
        if (!node.isTextual() || (!mayBeEmpty && node.asText().isBlank())) {
            problem(field, field + " must be " + (mayBeEmpty ? "a field name (\"\" for file:line ids)" : "a non-empty field name")
                    + ", got " + shown(node));
            return fallback;
        }
        return node.asText();
    }

    private void unknownFields(JsonNode object, String path, List<String> known) {
        Set<String> knownSet = Set.copyOf(known);
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!knownSet.contains(name)) {
                String field = path.isEmpty() ? name : path + "." + name;
                problem(field, field + ": unknown field; known fields are " + known);
            }
        }
    }

    private void problem(String field, String message) {
        problems.add(new SpecProblem(field, message));
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static String shown(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }
}
