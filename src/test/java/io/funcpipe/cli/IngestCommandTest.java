package io.funcpipe.cli;

import static io.funcpipe.cli.Cli.funcpipe;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.funcpipe.cli.Cli.Run;

/** {@code funcpipe ingest} through the real command line: what a new user meets first. */
class IngestCommandTest {

    @TempDir
    Path tmp;

    private Path index() {
        return tmp.resolve("index");
    }

    private Run ingest(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("ingest"));
        all.addAll(List.of(args));
        all.addAll(List.of("--index", index().toString(), "--embedder", "hash"));
        return funcpipe(all.toArray(String[]::new));
    }

    private Path jsonl(String name, int records) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < records; i++) {
            text.append("{\"id\": \"d").append(i).append("\", \"body\": \"Speech number ").append(i)
                    .append(" on the state of the union.\", \"year\": ").append(1860 + i).append("}\n");
        }
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Nested
    @DisplayName("nothing indexed: exit 4, the reason and the first errors on stderr, no index left behind")
    class NothingIndexed {

        @Test
        @DisplayName("an empty folder")
        void emptyFolder() throws IOException {
            Path empty = Files.createDirectories(tmp.resolve("empty"));
            Run run = ingest(empty.toString());
            assertThat(run.exit()).as(run.both()).isEqualTo(Main.NOTHING_INDEXED);
            assertThat(run.err()).contains("nothing was indexed: no document found in " + empty,
                    "no index was created at " + index());
            assertThat(index()).doesNotExist();
        }

        @Test
        @DisplayName("a glob that matches no file")
        void globMatchesNothing() {
            Run run = ingest("samples/sotu", "--include", "**/*.nothing");
            assertThat(run.exit()).as(run.both()).isEqualTo(Main.NOTHING_INDEXED);
            assertThat(run.err()).contains("no document found in samples/sotu (check --include/--exclude)");
            assertThat(index()).doesNotExist();
        }

        @Test
        @DisplayName("a wrong --text-field: every record fails, the first five are shown, the rest counted")
        void wrongTextField() throws IOException {
            Path input = jsonl("speeches.jsonl", 7);
            Run run = ingest(input.toString(), "--text-field", "text");
            assertThat(run.exit()).as(run.both()).isEqualTo(Main.NOTHING_INDEXED);
            assertThat(run.err()).contains("nothing was indexed: every one of the 7 documents failed",
                    "speeches.jsonl:1", "... and 2 more", "every error is in " + index().resolve("errors.jsonl"));
            assertThat(run.err().lines().filter(l -> l.startsWith("  MALFORMED_RECORD") || l.startsWith("  INVALID_INPUT")))
                    .hasSize(5);
            assertThat(run.err()).containsPattern("\n  MALFORMED_RECORD \\S*speeches\\.jsonl:1: no field 'text'");
            try (var files = Files.list(index())) {
                assertThat(files.map(p -> p.getFileName().toString())).as("only the errors log stays")
                        .containsExactly("errors.jsonl");
            }
            assertThat(Files.readAllLines(index().resolve("errors.jsonl"))).hasSize(7);
            Run query = funcpipe("query", "union", "--index", index().toString());
            assertThat(query.exit()).isEqualTo(Main.USAGE);
            assertThat(query.err()).contains("no index at");
        }

        @Test
        @DisplayName("a folder of only images (no parser reads them): each skipped file is named with its type")
        void onlyUnreadableTypes() throws IOException {
            Path docs = Files.createDirectories(tmp.resolve("docs"));
            Files.write(docs.resolve("a.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D});
            Files.write(docs.resolve("b.gif"), "GIF89a\u0001\u0000\u0001\u0000".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            Run run = ingest(docs.toString());
            assertThat(run.exit()).as(run.both()).isEqualTo(Main.NOTHING_INDEXED);
            assertThat(run.err()).contains("2 file(s) skipped", "a.png (image/png)", "b.gif (image/gif)",
                    "every file was skipped for its type");
            assertThat(index()).doesNotExist();
        }

        @Test
        @DisplayName("a URL that answers 404")
        void urlNotFound() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            });
            server.start();
            try {
                String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/speeches.jsonl";
                Run run = ingest(url);
                assertThat(run.exit()).as(run.both()).isEqualTo(Main.NOTHING_INDEXED);
                assertThat(run.err()).contains("nothing was indexed", "404", url);
            } finally {
                server.stop(0);
            }
        }
    }

    @Nested
    @DisplayName("skipped files beside readable ones")
    class Skipped {

        @Test
        @DisplayName("are counted and named; the run succeeds")
        void skippedAreNamed() throws IOException {
            Path docs = Files.createDirectories(tmp.resolve("docs"));
            Files.writeString(docs.resolve("speech.txt"), "Fellow citizens, the union is strong.");
            Files.write(docs.resolve("scan.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D});
            Run run = ingest(docs.toString(), "--json");
            assertThat(run.exit()).as(run.both()).isZero();
            assertThat(run.err()).contains("1 file(s) skipped", "scan.png");
            assertThat(run.json().get("chunksIndexed").asLong()).isPositive();
        }
    }

    @Nested
    @DisplayName("usage errors: exit 2 in the CLI's words, before anything is created")
    class Usage {

        @Test
        @DisplayName("--overlap against --chunk-tokens, checked before the model loads")
        void overlapAgainstChunkTokens() {
            Run run = ingest("samples/sotu", "--chunk-tokens", "64", "--overlap", "40");
            assertThat(run.exit()).as(run.both()).isEqualTo(Main.USAGE);
            assertThat(run.err()).contains("--overlap 40", "--chunk-tokens 64", "--overlap 31 or less")
                    .doesNotContain("overlapTokens", "maxTokens");
            assertThat(index()).doesNotExist();
        }

        @Test
        @DisplayName("--overlap against the model's window")
        void overlapAgainstWindow() {
            Run run = ingest("samples/sotu", "--overlap", "100");
            assertThat(run.exit()).as(run.both()).isEqualTo(Main.USAGE);
            assertThat(run.err()).contains("--overlap 100 is more than half").doesNotContain("overlapTokens", "maxTokens");
            assertThat(index()).doesNotExist();
        }

        @Test
        @DisplayName("negative or zero sizes")
        void badSizes() {
            for (String[] args : List.of(new String[] {"--overlap", "-1"}, new String[] {"--chunk-tokens", "0"},
                    new String[] {"--embed-batch", "0"}, new String[] {"--commit-every", "0"})) {
                List<String> all = new java.util.ArrayList<>(List.of("samples/sotu"));
                all.addAll(List.of(args));
                Run run = ingest(all.toArray(String[]::new));
                assertThat(run.exit()).as(run.both()).isEqualTo(Main.USAGE);
                assertThat(run.err()).contains(args[0]);
                assertThat(index()).doesNotExist();
            }
        }
    }

    @Nested
    @DisplayName("errors.jsonl")
    class ErrorsLog {

        @Test
        @DisplayName("each run appends its errors under its own run id")
        void appendedPerRun() throws IOException {
            Path input = tmp.resolve("docs.jsonl");
            Files.writeString(input, """
                    {"id": "a", "text": "The first document talks about rivers and lakes."}
                    {"id": "b", "text": broken
                    """);
            assertThat(ingest(input.toString()).exit()).isZero();
            assertThat(ingest(input.toString()).exit()).isZero();
            List<String> lines = Files.readAllLines(index().resolve("errors.jsonl"));
            assertThat(lines).hasSize(2);
            Set<String> runs = lines.stream().map(l -> {
                try {
                    JsonNode error = Cli.JSON.readTree(l);
                    assertThat(error.get("code").asText()).isEqualTo("MALFORMED_RECORD");
                    return error.get("run").asText();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).collect(Collectors.toSet());
            assertThat(runs).hasSize(2).allMatch(id -> id.matches("\\d{8}T\\d{6}Z-[0-9a-f]{4}"));
        }
    }
}
