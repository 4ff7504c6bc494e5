package io.funcpipe.cli;

import static io.funcpipe.cli.Cli.funcpipe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.cli.Cli.Run;

/** {@code funcpipe delete}: documents out of an index, with their chunks, and a full sync after a file is gone. */
class DeleteCommandTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("deletes a document's chunks and record; an unknown id exits 5; a later ingest adds it back")
    void deletesDocuments() throws Exception {
        Path corpus = tmp.resolve("corpus");
        Files.createDirectories(corpus);
        Files.writeString(corpus.resolve("a.txt"), "The state of the union is strong.\n\nPeace and trade with every nation.");
        Files.writeString(corpus.resolve("b.txt"), "Congress and the people.");
        Path index = tmp.resolve("index");
        Run ingest = funcpipe("ingest", corpus.toString(), "--index", index.toString(), "--embedder", "hash", "--json");
        assertThat(ingest.exit()).as(ingest.err()).isZero();
        long chunks = funcpipe("stats", "--index", index.toString(), "--json").json().get("chunks").asLong();
        long ofRun = ingest.json().get("chunksIndexed").asLong();

        Run delete = funcpipe("delete", "--index", index.toString(), "b.txt", "--json");
        assertThat(delete.exit()).as(delete.err()).isZero();
        assertThat(delete.json().get("documents").asLong()).isEqualTo(1);
        long deleted = delete.json().get("chunks").asLong();
        assertThat(deleted).isPositive().isLessThan(ofRun);
        var stats = funcpipe("stats", "--index", index.toString(), "--json").json();
        assertThat(stats.get("documents").asLong()).isEqualTo(1);
        assertThat(stats.get("chunks").asLong()).isEqualTo(chunks - deleted);

        Run unknown = funcpipe("delete", "--index", index.toString(), "nope.txt");
        assertThat(unknown.exit()).isEqualTo(DeleteCommand.NOT_FOUND);
        assertThat(unknown.err()).contains("1 of the ids are not in");

        Run again = funcpipe("ingest", corpus.toString(), "--index", index.toString(), "--json");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.json().get("sync").get("documentsAdded").asLong()).isEqualTo(1);
        assertThat(again.json().get("sync").get("documentsUnchanged").asLong()).isEqualTo(1);

        Files.delete(corpus.resolve("a.txt"));
        Run full = funcpipe("ingest", corpus.toString(), "--index", index.toString(), "--sync", "full", "--json");
        assertThat(full.exit()).as(full.err()).isZero();
        assertThat(full.json().get("sync").get("documentsDeleted").asLong()).isEqualTo(1);
        assertThat(funcpipe("stats", "--index", index.toString(), "--json").json().get("documents").asLong()).isEqualTo(1);
    }
}
