package io.funcpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-shot commands start only what they use: {@code ingest} of files and {@code query} with an
 * in-process embedder never start Vert.x (about half a second and 50 MB for a one-shot run), and an
 * ingest into another model's index is refused before the model loads. Each command runs in a JVM
 * of its own.
 */
@DisplayName("one-shot commands start only what they use")
class OneShotStartTest {

    private static final String VERTX_INSTANCE = "io.vertx.core.impl.VertxImpl ";

    @TempDir
    Path tmp;

    @Test
    @DisplayName("ingest of a folder, then a query of its index, load no Vert.x instance")
    void noVertxForFiles() throws Exception {
        Path index = tmp.resolve("index");
        String ingest = classesLoaded("ingest", "ingest", "samples/sotu", "--index", index.toString(), "--embedder", "hash");
        assertThat(ingest).as("the class-load log works").contains("io.funcpipe.cli.IngestCommand ");
        assertThat(ingest).doesNotContain(VERTX_INSTANCE);
        String query = classesLoaded("query", "query", "compensated emancipation", "--index", index.toString());
        assertThat(query).as("the class-load log works").contains("io.funcpipe.cli.QueryCommand ");
        assertThat(query).doesNotContain(VERTX_INSTANCE);
    }

    @Test
    @DisplayName("ingest with a model into an index another model built is refused before the model loads")
    void anotherModelsIndexRefusedFirst() throws Exception {
        Path index = tmp.resolve("hashed");
        assertThat(ForkedMain.run(tmp, "first", List.of(), List.of("ingest", "samples/sotu", "--index", index.toString(),
                "--embedder", "hash")).exitCode()).isZero();
        ForkedMain.Ran ran = ForkedMain.run(tmp, "second", List.of(), List.of("ingest", "samples/sotu", "--index",
                index.toString(), "--embedder", "minilm-q", "--verbose"));
        assertThat(ran.exitCode()).as(ran.stderr()).isEqualTo(Main.USAGE);
        assertThat(ran.stderr()).contains("was built with embedder 'hash'", "this run uses 'minilm-q'")
                .as("the model was not loaded").doesNotContain("loaded all-MiniLM");
    }

    /** Runs {@code args} through {@link Main} in a JVM of its own; its class-load log. */
    private String classesLoaded(String name, String... args) throws Exception {
        Path log = tmp.resolve(name + "-classes.log");
        ForkedMain.Ran ran = ForkedMain.run(tmp, name, List.of("-Xlog:class+load=info:file=" + log), List.of(args));
        assertThat(ran.exitCode()).as("%s exit code; stderr:%n%s", name, ran.stderr()).isZero();
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
