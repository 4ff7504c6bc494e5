package io.funcpipe.service.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.vertx.core.json.JsonObject;

/** The project's {@code conf/funcpipe.yaml} as tests see it: its text and its keys. */
final class DefaultsFile {

    static final Path PATH = Path.of("conf", "funcpipe.yaml");

    private DefaultsFile() {
    }

    static String text() {
        try {
            return Files.readString(PATH);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every key (dotted path to a value), in file order. */
    static List<String> keys() {
        return List.copyOf(ConfigKeys.flatten(tree()).keySet());
    }

    /** The value of every key, as YAML gives it. */
    static Map<String, Object> values() {
        return ConfigKeys.flatten(tree());
    }

    private static JsonObject tree() {
        Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(text());
        return new JsonObject(map);
    }
}
