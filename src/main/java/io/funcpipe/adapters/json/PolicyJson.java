package io.funcpipe.adapters.json;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.funcpipe.core.policy.Backpressure;
import io.funcpipe.core.policy.Fairness;
import io.funcpipe.core.policy.Policies;
import io.funcpipe.core.policy.RateLimit;
import io.funcpipe.core.policy.RetryPolicy;
import io.funcpipe.core.policy.TimeoutPolicy;

/**
 * Reads and writes the policy records of {@code io.funcpipe.core.policy} as JSON or YAML, so a
 * config file or a job spec can carry them. Core stays free of Jackson: the records need no
 * annotations; durations are handled by {@link DurationText} (written as ISO-8601, read also as
 * {@code "250ms"}, {@code "2s"} or a number of milliseconds).
 *
 * <p>A field left out takes the record's documented default (the text is merged over the default
 * record before it is bound), so {@code {"retry": {"maxAttempts": 5}}} is a whole {@link Policies}.
 * An explicit {@code null} is bound as given: rejected, except for {@code rateLimit} where it means
 * "no rate limit". Unknown fields are rejected. Every failure is an {@link IllegalArgumentException} whose message
 * starts with the field's path, such as {@code retry.maxAttempts must be >= 1, got 0} or
 * {@code retry.retryOn[1]: "SOMETIMES" is not one of [EXCEPTION, ...]}.
 */
public final class PolicyJson {

    /** The default of each policy type, and the path prefix its fields are reported under. */
    private static final Map<Class<?>, Section> SECTIONS = Map.of(
            Policies.class, new Section("", Policies.DEFAULT),
            Backpressure.class, new Section("backpressure", Backpressure.DEFAULT),
            RetryPolicy.class, new Section("retry", RetryPolicy.DEFAULT),
            TimeoutPolicy.class, new Section("timeout", TimeoutPolicy.DEFAULT),
            RateLimit.class, new Section("rateLimit", RateLimit.DEFAULT),
            Fairness.class, new Section("fairness", Fairness.DEFAULT));

    private final ObjectMapper mapper;

    private PolicyJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A reader/writer with its own configured {@link ObjectMapper}. */
    public static PolicyJson create() {
        return new PolicyJson(JsonMapper.builder()
                .addModule(DurationText.module())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build());
    }

    /** The configured mapper, for callers that embed policies in larger documents (a job spec). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** The policy as JSON; every field is written, durations as ISO-8601. */
    public String write(Object policy) {
        requireNonNull(policy, "policy");
        try {
            return mapper.writeValueAsString(policy);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write " + policy.getClass().getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Reads a policy of {@code type} (any record of the policy package) from JSON text. */
    public <T> T read(String json, Class<T> type) {
        requireNonNull(json, "json");
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
        return read(tree, type);
    }

    /** Reads a policy of {@code type} from YAML text (a config file). */
    public <T> T readYaml(String yaml, Class<T> type) {
        requireNonNull(yaml, "yaml");
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
        return read(mapper.valueToTree(loaded), type);
    }

    /** Reads a policy of {@code type} from a parsed tree (for example a job spec's {@code policies}). */
    public <T> T read(JsonNode node, Class<T> type) {
        requireNonNull(type, "type");
        Section section = SECTIONS.get(type);
        if (section == null) {
            throw new IllegalArgumentException(type.getName() + " is not a policy; expected one of "
                    + SECTIONS.keySet().stream().map(Class::getSimpleName).sorted().toList());
        }
        if (node != null && !node.isNull() && !node.isObject()) {
            throw new IllegalArgumentException(label(section.path()) + "must be an object, got " + node.getNodeType());
        }
        JsonNode merged = mergeOverDefaults(mapper.valueToTree(section.defaults()), node);
        try {
            return mapper.treeToValue(merged, type);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(JsonErrors.describe(section.path(), e), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(JsonErrors.describe(section.path(), e), e);
        }
    }

    /** The user's fields over the defaults, object by object; a section missing from the defaults takes its own. */
    private JsonNode mergeOverDefaults(JsonNode defaults, JsonNode user) {
        if (user == null || user.isMissingNode()) {
            return defaults;
        }
        if (!defaults.isObject() || !user.isObject()) {
            return user;
        }
        ObjectNode merged = ((ObjectNode) defaults).deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = user.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode base = merged.get(field.getKey());
            if ((base == null || base.isNull()) && field.getValue().isObject()) {
                base = sectionDefaults(field.getKey());
            }
            merged.set(field.getKey(), base == null ? field.getValue() : mergeOverDefaults(base, field.getValue()));
        }
        return merged;
    }

    private JsonNode sectionDefaults(String name) {
        return SECTIONS.values().stream().filter(s -> s.path().equals(name)).findFirst()
                .<JsonNode>map(s -> mapper.valueToTree(s.defaults())).orElse(null);
    }

    static String label(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    static String enumValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private record Section(String path, Object defaults) {
    }
}
