package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * How settings are named. A key is the dotted path to a value in the YAML tree
 * ({@code transport.docBatch}); sections are not keys, lists are single values. Each key has one
 * environment variable: {@code FUNCPIPE_} followed by the key upper-cased, with every dot and every
 * camel-case hump (an upper-case letter after a lower-case letter or a digit) turned into an
 * underscore: {@code http.port -> FUNCPIPE_HTTP_PORT}, {@code inputRoots -> FUNCPIPE_INPUT_ROOTS},
 * {@code embedder.openai.apiKeyEnv -> FUNCPIPE_EMBEDDER_OPENAI_API_KEY_ENV}.
 */
public final class ConfigKeys {

    /** The prefix of every environment variable the service reads as a setting. */
    public static final String ENV_PREFIX = "FUNCPIPE_";

    private ConfigKeys() {
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        requireNonNull(key, "key");
        StringBuilder name = new StringBuilder(ENV_PREFIX);
        char previous = '.';
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '.') {
                name.append('_');
            } else {
                boolean hump = Character.isUpperCase(c)
                        && (Character.isLowerCase(previous) || Character.isDigit(previous));
                if (hump) {
                    name.append('_');
                }
                name.append(Character.toUpperCase(c));
            }
            previous = c;
        }
        return name.toString();
    }

    /**
     * The leaves of a YAML tree by dotted key, in document order. A nested object is a section and
     * is walked; anything else (a scalar, a list, a null) is a value.
     */
    static Map<String, Object> flatten(JsonObject tree) {
        Map<String, Object> leaves = new LinkedHashMap<>();
        flatten("", tree, leaves);
        return leaves;
    }

    private static void flatten(String prefix, JsonObject section, Map<String, Object> leaves) {
        for (String name : section.fieldNames()) {
            Object value = section.getValue(name);
            String key = prefix + name;
            if (value instanceof JsonObject nested && !nested.isEmpty()) {
                flatten(key + ".", nested, leaves);
            } else {
                leaves.put(key, value);
            }
        }
    }
}
