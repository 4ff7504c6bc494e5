package io.funcpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.funcpipe.cli.Cli.Run;

/** The command line end to end, with the hashing embedder (no model) on the shipped samples. */
class IngestAndQueryTest {

    static Run funcpipe(String... args) {
        return Cli.funcpipe(args);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("samples", "sotu");

    @TempDir
    Path tmp;

    @Nested
    @DisplayName("ingest then query the samples")
    class Samples {

        @Test
        @DisplayName("every document is indexed, re-ingesting changes no count, and a query finds its words")
        void ingestReingestQuery() throws Exception {
            Path index = tmp.resolve("index");
            Run first = funcpipe("ingest", SAMPLES.toString(), "--index", index.toString(), "--embedder", "hash", "--json");
            assertThat(first.exit()).as(first.err()).isZero();
            JsonNode report = first.json();
            long files;
            try (var listing = Files.list(SAMPLES)) {
                files = listing.count();
            }
            assertThat(report.get("documentsRead").asLong()).isEqualTo(files);
            assertThat(report.get("documentsFailed").asLong()).isZero();
            assertThat(report.get("chunksFailed").asLong()).isZero();
            assertThat(report.get("truncations").asLong()).isZero();
            long chunks = report.get("chunksIndexed").asLong();
            assertThat(chunks).isGreaterThan(files);
            report.get("stages").properties().forEach(stage -> assertThat(
                    stage.getValue().get("ok").asLong() + stage.getValue().get("failed").asLong())
                    .as(stage.getKey()).isEqualTo(stage.getValue().get("in").asLong()));
            assertThat(Files.readAllLines(index.resolve("errors.jsonl"))).isEmpty();

            Run second = funcpipe("ingest", SAMPLES.toString(), "--index", index.toString(), "--json");
            assertThat(second.exit()).as(second.err()).isZero();
            assertThat(second.json().get("sync").get("documentsUnchanged").asLong())
                    .as("an unchanged corpus is skipped, nothing embedded again").isEqualTo(files);
            assertThat(second.json().get("sync").get("chunksEmbedded").asLong()).isZero();
            assertThat(second.json().get("chunksIndexed").asLong()).isZero();
            Run stats = funcpipe("stats", "--index", index.toString(), "--json");
            assertThat(stats.json().get("chunks").asLong()).as("the index neither grew nor shrank").isEqualTo(chunks);
            assertThat(second.json().get("embedder").asText()).as("the index's embedder is reused").isEqualTo("hash");

            Run query = funcpipe("query", "compensated", "emancipation", "--index", index.toString(), "--top", "3", "--json");
            assertThat(query.exit()).as(query.err()).isZero();
            JsonNode hits = query.json();
            assertThat(hits).hasSize(3);
            assertThat(hits.get(0).get("text").asText().toLowerCase()).contains("emancipation");
            assertThat(hits.get(0).get("score").asDouble()).isGreaterThanOrEqualTo(hits.get(1).get("score").asDouble());

            Run text = funcpipe("query", "emancipation", "--index", index.toString(), "--top", "1");
            assertThat(text.exit()).isZero();
            assertThat(text.out()).startsWith("1. score ");
        }
    }

    @Nested
    @DisplayName("bad records")
    class BadRecords {

        @Test
        @DisplayName("a bad JSONL line is reported in errors.jsonl with file and line; the rest is indexed")
        void badLineIsLoggedNotFatal() throws Exception {
            Path input = tmp.resolve("docs.jsonl");
            Files.writeString(input, """
                    {"id": "a", "text": "The first document talks about rivers and lakes."}
                    {"id": "b", "text": broken
                    {"id": "c", "text": "The third document talks about mountains."}
                    """);
            Path index = tmp.resolve("index");
            Run run = funcpipe("ingest", input.toString(), "--index", index.toString(), "--embedder", "hash", "--json");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.json().get("documentsRead").asLong()).isEqualTo(3);
            assertThat(run.json().get("documentsFailed").asLong()).isEqualTo(1);
            List<String> errors = Files.readAllLines(index.resolve("errors.jsonl"));
            assertThat(errors).hasSize(1);
            JsonNode error = JSON.readTree(errors.getFirst());
            assertThat(error.get("code").asText()).isEqualTo("MALFORMED_RECORD");
            assertThat(error.get("location").asText()).endsWith("docs.jsonl:2");

            Run strict = funcpipe("ingest", input.toString(), "--index", index.toString(), "--strict");
            assertThat(strict.exit()).isEqualTo(Main.ITEMS_FAILED);
            assertThat(strict.out()).contains("MALFORMED_RECORD 1");
        }
    }

    @Nested
    @DisplayName("usage errors exit 2 with a message")
    class Usage {

        @Test
        @DisplayName("a missing input, an unknown format, a chunk size over the window, a missing index")
        void usageErrors() {
            Path index = tmp.resolve("index");
            Run missing = funcpipe("ingest", tmp.resolve("nope.txt").toString(), "--index", index.toString(), "--embedder", "hash");
            assertThat(missing.exit()).isEqualTo(Main.USAGE);
            assertThat(missing.err()).contains("nope.txt");

            Run format = funcpipe("ingest", SAMPLES.toString(), "--index", index.toString(), "--embedder", "hash", "--format", "pdf");
            assertThat(format.exit()).isEqualTo(Main.USAGE);
            assertThat(format.err()).contains("pdf", "auto, csv, jsonl, text");

            Run window = funcpipe("ingest", SAMPLES.toString(), "--index", index.toString(), "--embedder", "hash", "--chunk-tokens", "999");
            assertThat(window.exit()).isEqualTo(Main.USAGE);
            assertThat(window.err()).contains("window");

            Run query = funcpipe("query", "x", "--index", tmp.resolve("none").toString());
            assertThat(query.exit()).isEqualTo(Main.USAGE);
            assertThat(query.err()).contains("no index at");

            Run unknownOption = funcpipe("ingest", "--frobnicate");
            assertThat(unknownOption.exit()).isEqualTo(Main.USAGE);
        }
    }
}
