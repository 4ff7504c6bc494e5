package io.funcpipe.adapters.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.cli.ForkedMain;
import io.funcpipe.core.Result;
import io.funcpipe.rag.SearchHit;

/**
 * A folder of mixed documents (the samples, a 40-page PDF, Word, HTML, text, CSV, an image, and an
 * encrypted, a corrupt and a zip-bomb file) through {@code funcpipe ingest} in a JVM whose heap is
 * capped at 256 MiB: the run completes, each bad file is one Err with its code, and the text, page
 * locations and metadata reach the index.
 */
@DisplayName("a mixed folder ingests in a 256 MiB heap")
class MixedFolderIngestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    @DisplayName("good files indexed with page locations and metadata; encrypted, corrupt and zip bomb are Errs")
    void mixedFolder() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        try (Stream<Path> samples = Files.list(Path.of("samples", "docs"))) {
            for (Path sample : samples.toList()) {
                Files.copy(sample, docs.resolve(sample.getFileName()));
            }
        }
        List<List<String>> pages = IntStream.rangeClosed(1, 40)
                .mapToObj(n -> List.of("Chapter " + n + " of the almanac.", "Tides and harvests of month " + n + "."))
                .toList();
        Documents.pdf(docs.resolve("almanac.pdf"), "The Almanac", "Benjamin Banneker", pages);
        Documents.docx(docs.resolve("memo.docx"), "Memo", "Grace Hopper", List.of("The bug was a moth."));
        Files.writeString(docs.resolve("notes.txt"), "Plain notes.\n");
        Files.writeString(docs.resolve("table.csv"), "id,text\nr1,A row of CSV.\n");
        Files.write(docs.resolve("photo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        Documents.encryptedPdf(docs.resolve("secret.pdf"));
        Files.writeString(docs.resolve("broken.pdf"), "%PDF-1.4\nnot really a PDF\n");
        Documents.zipBombDocx(docs.resolve("bomb.docx"), 64);
        Path index = tmp.resolve("index");

        ForkedMain.Ran ran = ForkedMain.run(tmp, "ingest", List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("ingest", docs.toString(), "--index", index.toString(), "--embedder", "hash", "--json"));
        String stdout = ran.stdout();
        String stderr = ran.stderr();
        assertThat(ran.exitCode()).as("exit code; stderr:%n%s", stderr).isZero();
        assertThat(stderr).as("nothing a user cannot act on").doesNotContain("StatusLogger", "fallback font", "Exception");

        JsonNode report = JSON.readTree(stdout);
        JsonNode parse = report.path("stages").path("parse");
        // 5 samples (the PDF's pages each one document) + 40 pages + memo + notes + 1 CSV row, and 3 bad files
        assertThat(parse.path("failed").asInt()).as(stdout).isEqualTo(3);
        assertThat(report.path("errorsByCode").path("ENCRYPTED").asInt()).as(stdout).isEqualTo(1);
        assertThat(report.path("errorsByCode").path("CORRUPT").asInt()).as(stdout).isEqualTo(1);
        assertThat(report.path("errorsByCode").path("TOO_LARGE").asInt()).as(stdout).isEqualTo(1);
        assertThat(report.path("chunksFailed").asInt()).as(stdout).isZero();
        assertThat(parse.path("ok").asInt()).as(stdout).isGreaterThanOrEqualTo(4 + 40 + 3);

        try (LuceneVectorIndex read = ok(LuceneVectorIndex.openReadOnly(index))) {
            float[] query = ok(HashingEmbedder.of().embed(List.of("Chapter 17 of the almanac. Tides and harvests of month 17."))
                    .open().await().atMost(Duration.ofSeconds(30))).getFirst();
            List<SearchHit> hits = ok(read.search(query, 3).open().await().atMost(Duration.ofSeconds(30)));
            assertThat(hits).first().satisfies(hit -> {
                assertThat(hit.location()).isEqualTo(docs.resolve("almanac.pdf") + "#page=17");
                assertThat(hit.text()).contains("Chapter 17 of the almanac.");
                assertThat(hit.metadata()).containsEntry("title", "The Almanac").containsEntry("author", "Benjamin Banneker")
                        .containsEntry("page", "17").containsEntry("pages", "40").containsEntry("content_type", "application/pdf")
                        .containsEntry("created", "2024-03-05T10:00:00Z");
            });
            List<SearchHit> html = ok(read.search(query, 5, List.of(io.funcpipe.rag.MetadataFilter.equalTo("content_type", "text/html"))).open()
                    .await().atMost(Duration.ofSeconds(30)));
            assertThat(html).as("the metadata are filterable").isNotEmpty()
                    .allSatisfy(hit -> assertThat(hit.docId()).isEqualTo("lincoln-1862.html"));
            List<SearchHit> page3 = ok(read.search(query, 5, List.of(io.funcpipe.rag.MetadataFilter.equalTo("title", "The Almanac"), io.funcpipe.rag.MetadataFilter.equalTo("page", "3"))).open()
                    .await().atMost(Duration.ofSeconds(30)));
            assertThat(page3).singleElement().satisfies(hit -> assertThat(hit.docId()).isEqualTo("almanac.pdf#page=3"));
        }
        List<String> errors = Files.readAllLines(index.resolve("errors.jsonl"));
        assertThat(errors).hasSize(3).anySatisfy(line -> assertThat(line).contains("secret.pdf", "ENCRYPTED"));
    }


    private static <T> T ok(Result<T> result) {
        return result.fold(value -> value, e -> {
            throw new AssertionError(e.message());
        });
    }
}
