package io.funcpipe.cli;

import static io.funcpipe.cli.Cli.funcpipe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;

@DisplayName("funcpipe stats")
class StatsCommandTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("after an ingest: documents, chunks, embedder and the last commit as a table and as JSON")
    void afterIngest() {
        Path index = tmp.resolve("index");
        Cli.Run ingest = funcpipe("ingest", "samples/sotu", "--index", index.toString(), "--embedder", "hash", "--json");
        assertThat(ingest.exit()).as(ingest.err()).isZero();
        long chunks = ingest.json().get("chunksIndexed").asLong();

        Cli.Run json = funcpipe("stats", "--index", index.toString(), "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonObject stats = new JsonObject(json.out());
        assertThat(stats.getLong("documents")).isEqualTo(4);
        assertThat(stats.getLong("chunks")).isEqualTo(chunks);
        assertThat(stats.getString("embedder")).isEqualTo("hash");
        assertThat(stats.getInteger("dimensions")).isEqualTo(384);
        assertThat(stats.getJsonObject("lastCommit").getString("time")).isNotBlank();
        assertThat(stats.getJsonObject("lastCommit").getString("from")).isIn("userData", "segmentsFile");

        Cli.Run text = funcpipe("stats", "--index", index.toString());
        assertThat(text.exit()).isZero();
        assertThat(text.out()).containsPattern("(?m)^documents +4$").containsPattern("(?m)^chunks +" + chunks + "$")
                .contains("embedder     hash (384 dimensions)", "last commit  ");
    }

    @Test
    @DisplayName("no index at DIR exits 1 saying so; a bad option exits 2")
    void errors() {
        Cli.Run missing = funcpipe("stats", "--index", tmp.resolve("nothing").toString());
        assertThat(missing.exit()).isEqualTo(Main.FAILED);
        assertThat(missing.err()).contains("there is no index at " + tmp.resolve("nothing"));

        Cli.Run usage = funcpipe("stats", "--colour");
        assertThat(usage.exit()).isEqualTo(Main.USAGE);
    }
}
