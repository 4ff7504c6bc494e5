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
 * in-process embedder never start Vert.x (about half a second and 50 MB for a one-shot run). Each
 * command runs in a JVM of its own that logs every class it loads.
 */
@DisplayName("one-shot ingest and query of files start no Vert.x")
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

    /** Runs {@code args} through {@link Main} in a JVM of its own; its class-load log. */
    private String classesLoaded(String name, String... args) throws Exception {
        Path log = tmp.resolve(name + "-classes.log");
        ForkedMain.Ran ran = ForkedMain.run(tmp, name, List.of("-Xlog:class+load=info:file=" + log), List.of(args));
        assertThat(ran.exitCode()).as("%s exit code; stderr:%n%s", name, ran.stderr()).isZero();
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
