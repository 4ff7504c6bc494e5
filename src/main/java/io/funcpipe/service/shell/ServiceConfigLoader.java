package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.funcpipe.service.shell.ConfigValues.Setting;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Loads the service's settings in three layers, later wins: the built-in defaults (the classpath
 * copy of {@code conf/funcpipe.yaml}, {@link #DEFAULTS_RESOURCE}), an optional YAML file given by
 * the operator, then environment variables named by {@link ConfigKeys#envName}. Each YAML layer is
 * read by vertx-config (a {@link ConfigRetriever} with one {@code file} store in {@code yaml}
 * format); the layering is done here so every value keeps its source for error messages.
 *
 * <p>Only keys present in the defaults exist: a key in the operator's file that is not one of them
 * is an error naming it (a typo must not be ignored). An environment variable starting with
 * {@code FUNCPIPE_} that names no key is logged as a warning and otherwise ignored, because other
 * tools set such variables too ({@code bin/funcpipe} reads {@code FUNCPIPE_JAVA_OPTS}).
 *
 * <p>Every failure is a {@link ConfigException} whose message names the key, the value, its source
 * and what is allowed.
 */
public final class ServiceConfigLoader {

    /** Where the built-in defaults live on the classpath: a copy of {@code conf/funcpipe.yaml}. */
    public static final String DEFAULTS_RESOURCE = "io/funcpipe/service/shell/funcpipe-default.yaml";

    static final String DEFAULTS_SOURCE = "the built-in defaults";

    /** {@code FUNCPIPE_} variables that are known not to be settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("FUNCPIPE_JAVA_OPTS", "FUNCPIPE_TOKEN");

    private static final System.Logger LOG = System.getLogger(ServiceConfigLoader.class.getName());

    private ServiceConfigLoader() {
    }

    /**
     * Loads the settings before any Vert.x instance exists (the clustered one is built from
     * them): reads the files with a short-lived Vert.x instance and closes it.
     *
     * @param file the operator's YAML file, if one was given
     * @param env  the environment, normally {@code System.getenv()}
     * @throws ConfigException when a file cannot be read or a value is invalid
     */
    public static ServiceConfig load(Optional<Path> file, Map<String, String> env) {
        requireNonNull(file, "file");
        requireNonNull(env, "env");
        Vertx vertx = Vertx.vertx();
        try {
            return load(vertx, file, env).await();
        } finally {
            vertx.close().await();
        }
    }

    /**
     * Loads the settings with an existing Vert.x instance; the future fails with a
     * {@link ConfigException} when a file cannot be read or a value is invalid.
     */
    public static Future<ServiceConfig> load(Vertx vertx, Optional<Path> file, Map<String, String> env) {
        requireNonNull(vertx, "vertx");
        requireNonNull(file, "file");
        requireNonNull(env, "env");
        return load(vertx, file, env, Path.of("").toAbsolutePath());
    }

    static Future<ServiceConfig> load(Vertx vertx, Optional<Path> file, Map<String, String> env, Path workingDir) {
        return settings(vertx, file, env).map(values -> ConfigBinding.bind(values, workingDir));
    }

    /** The merged settings with their sources, before binding. */
    static Future<ConfigValues> settings(Vertx vertx, Optional<Path> file, Map<String, String> env) {
        Future<JsonObject> defaults = readYaml(vertx, DEFAULTS_RESOURCE, DEFAULTS_SOURCE);
        Future<JsonObject> user = file.map(f -> readUserFile(vertx, f)).orElse(Future.succeededFuture(new JsonObject()));
        return Future.all(defaults, user)
                .map(all -> merge(defaults.result(), file.map(f -> user.result()), file, env));
    }

    private static Future<JsonObject> readUserFile(Vertx vertx, Path file) {
        if (!Files.isRegularFile(file)) {
            return Future.failedFuture(new ConfigException("config file " + file.toAbsolutePath()
                    + " does not exist or is not a regular file; check the path given with --conf"));
        }
        return readYaml(vertx, file.toAbsolutePath().toString(), file.toAbsolutePath().toString());
    }

    private static Future<JsonObject> readYaml(Vertx vertx, String path, String source) {
        ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("yaml")
                .setConfig(new JsonObject().put("path", path));
        ConfigRetriever retriever = ConfigRetriever.create(vertx,
                new ConfigRetrieverOptions().setIncludeDefaultStores(false).setScanPeriod(0).addStore(store));
        return retriever.getConfig()
                .eventually(retriever::close)
                .recover(e -> Future.failedFuture(new ConfigException("cannot read " + source + " as YAML (a mapping of "
                        + "keys such as 'http:' at the top level): " + describe(e), e)));
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof ClassCastException) {
            // vertx-config's YAML processor casts the document to a map
            return "the top level is a list or a single value, not a mapping of keys";
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private static ConfigValues merge(JsonObject defaultsTree, Optional<JsonObject> userTree, Optional<Path> file,
                                      Map<String, String> env) {
        Map<String, Object> defaults = ConfigKeys.flatten(defaultsTree);
        Map<String, Setting> merged = new LinkedHashMap<>();
        defaults.forEach((key, value) -> merged.put(key, new Setting(value, DEFAULTS_SOURCE)));
        if (userTree.isPresent()) {
            String source = file.orElseThrow().toAbsolutePath().toString();
            ConfigKeys.flatten(userTree.get()).forEach((key, value) -> {
                if (checkKnown(key, value, defaults.keySet(), source)) {
                    merged.put(key, new Setting(value, source));
                }
            });
        }
        for (String key : defaults.keySet()) {
            String name = ConfigKeys.envName(key);
            String text = env.get(name);
            if (text != null) {
                merged.put(key, new Setting(text, name));
            }
        }
        warnAboutUnknownVariables(env, defaults.keySet());
        return new ConfigValues(merged);
    }

    /**
     * Whether {@code key} from the operator's file is a setting to apply: true for a known key,
     * false for an empty section ({@code http:} with nothing under it); throws for anything else.
     */
    private static boolean checkKnown(String key, Object value, Set<String> known, String source) {
        if (known.contains(key)) {
            return true;
        }
        List<String> inside = known.stream().filter(k -> k.startsWith(key + ".")).toList();
        if (!inside.isEmpty()) {
            if (value == null || value instanceof JsonObject object && object.isEmpty()) {
                return false;
            }
            throw new ConfigException(key + " is a section holding " + String.join(", ", inside)
                    + ", not a value; got " + ConfigValues.show(value) + " (from " + source + ")");
        }
        for (String k : known) {
            if (key.startsWith(k + ".")) {
                throw new ConfigException(k + " takes a value, not nested keys; found " + key + " (in " + source + ")");
            }
        }
        String hint = closest(key, known).map(k -> "; did you mean " + k + "?").orElse("");
        throw new ConfigException("unknown key " + key + " in " + source + hint
                + " (every key is listed in conf/funcpipe.yaml and docs/service-config.md)");
    }

    /** The known key nearest to a misspelt one, if one is near enough to be a likely typo. */
    static Optional<String> closest(String key, Set<String> known) {
        return known.stream()
                .min(Comparator.comparingInt((String k) -> distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT))).thenComparing(k -> k))
                .filter(k -> distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT)) <= Math.max(2, k.length() / 4));
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static void warnAboutUnknownVariables(Map<String, String> env, Set<String> known) {
        Set<String> unknown = unknownVariables(env, known);
        if (!unknown.isEmpty()) {
            LOG.log(Level.WARNING, () -> "ignoring environment variables that name no setting: " + unknown
                    + " (settings are FUNCPIPE_ plus the key, e.g. FUNCPIPE_HTTP_PORT; see docs/service-config.md)");
        }
    }

    /** The {@code FUNCPIPE_} variables in {@code env} that name no key (and are not known to be something else). */
    static Set<String> unknownVariables(Map<String, String> env, Set<String> known) {
        Set<String> names = known.stream().map(ConfigKeys::envName).collect(Collectors.toSet());
        return env.keySet().stream()
                .filter(name -> name.startsWith(ConfigKeys.ENV_PREFIX))
                .filter(name -> !names.contains(name) && !NOT_SETTINGS.contains(name))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
