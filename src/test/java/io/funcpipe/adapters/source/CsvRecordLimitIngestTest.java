package io.funcpipe.adapters.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.cli.ForkedMain;

/**
 * A 300 MB CSV whose line 2 opens a quote that is never closed (commons-csv would take the rest of
 * the file as one field) through {@code funcpipe ingest} in a JVM capped at 256 MiB: the run ends
 * with a clear TOO_LARGE error naming file:line, the limit and its key, and never runs out of heap.
 */
@DisplayName("a 300 MB CSV with an unterminated quote on line 2 ingests in a 256 MiB heap to a clear Err")
class CsvRecordLimitIngestTest {

    private static final long FILE_BYTES = 300L * 1000 * 1000;

    @TempDir
    Path tmp;
    private Path csv;

    @AfterEach
    void delete() throws IOException {
        if (csv != null) {
            Files.deleteIfExists(csv);
        }
    }

    @Test
    @DisplayName("ends with TOO_LARGE at line 2, no OutOfMemoryError, the error in the report and the errors log")
    void unterminatedQuote() throws Exception {
        csv = tmp.resolve("broken.csv");
        String filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor, 12345\n";
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("id,text\n");
            out.write("r1,\"this quote is never closed\n");
            for (long written = 0; written < FILE_BYTES; written += filler.length()) {
                out.write(filler);
            }
        }
        assertThat(Files.size(csv)).isGreaterThan(FILE_BYTES);
        Path index = tmp.resolve("index");

        ForkedMain.Ran ran = ForkedMain.run(tmp, "ingest", List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("ingest", csv.toString(), "--index", index.toString(), "--embedder", "hash", "--json"));
        String stdout = ran.stdout();
        String stderr = ran.stderr();
        assertThat(stdout + stderr).doesNotContain("OutOfMemoryError");
        assertThat(ran.exitCode()).as("exit code 4: nothing indexed; stdout:%n%s%nstderr:%n%s", stdout, stderr)
                .isEqualTo(4);
        String expected = csv + ":2: the CSV record from this line on is longer than the limit of "
                + SourceOptions.DEFAULT_MAX_RECORD_BYTES + " bytes for one record (maxRecordBytes; limits.recordBytes";
        assertThat(stdout + stderr).contains(expected, "TOO_LARGE");
        List<String> errors = Files.readAllLines(index.resolve("errors.jsonl"));
        assertThat(errors).singleElement().satisfies(line -> assertThat(line).contains("TOO_LARGE", "broken.csv:2",
                "unterminated or stray double quote"));
    }
}
