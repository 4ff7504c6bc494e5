package io.funcpipe.cli;

import static io.funcpipe.cli.Cli.funcpipe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.funcpipe.cli.Cli.Run;

/** {@code funcpipe query} through the real command line: metadata shown, filters, quiet output. */
class QueryCommandTest {

    @TempDir
    static Path tmp;

    static Path index;

    @BeforeAll
    static void ingestSpeeches() throws Exception {
        Path csv = tmp.resolve("speeches.csv");
        Files.writeString(csv, """
                id,text,year,president,party
                s1790,"The union of the states and the public credit.",1790,George Washington,None
                s1862,"Compensated emancipation and the union of the states.",1862,Abraham Lincoln,Republican
                s1863,"The union of the states, emancipation and the war.",1863,Abraham Lincoln,Republican
                s1941,"Four freedoms and the union of free nations.",1941,Franklin D. Roosevelt,Democratic
                """);
        index = tmp.resolve("index");
        Run run = funcpipe("ingest", csv.toString(), "--index", index.toString(), "--embedder", "hash");
        assertThat(run.exit()).as(run.both()).isZero();
    }

    @Test
    @DisplayName("the text output shows each hit's metadata; no log line on stderr")
    void textShowsMetadata() {
        Run run = funcpipe("query", "emancipation", "--index", index.toString(), "--top", "1");
        assertThat(run.exit()).as(run.both()).isZero();
        assertThat(run.out()).startsWith("1. score ")
                .contains("party: Republican", "president: Abraham Lincoln", "year: 186");
        assertThat(run.err()).isEmpty();
    }

    @Test
    @DisplayName("--json gives each hit's metadata as an object")
    void jsonShowsMetadata() {
        Run run = funcpipe("query", "four freedoms", "--index", index.toString(), "--top", "4", "--json");
        assertThat(run.exit()).as(run.both()).isZero();
        JsonNode hits = run.json();
        assertThat(hits).hasSize(4);
        for (JsonNode hit : hits) {
            assertThat(hit.get("metadata").get("year").asText()).matches("\\d{4}");
            assertThat(hit.get("metadata").has("president")).isTrue();
        }
    }

    @Test
    @DisplayName("--filter field=value keeps the matching chunks only")
    void filterByValue() {
        Run run = funcpipe("query", "union", "--index", index.toString(), "--top", "10", "--json",
                "--filter", "president=Abraham Lincoln");
        assertThat(run.exit()).as(run.both()).isZero();
        assertThat(run.json()).hasSize(2)
                .allSatisfy(hit -> assertThat(hit.get("docId").asText()).isIn("s1862", "s1863"));
    }

    @Test
    @DisplayName("--filter with a numeric range, open or closed, and several filters at once")
    void filterByRange() {
        Run closed = funcpipe("query", "union", "--index", index.toString(), "--top", "10", "--json",
                "--filter", "year=1800..1900");
        assertThat(closed.json()).extracting(h -> h.get("docId").asText()).containsExactlyInAnyOrder("s1862", "s1863");
        Run open = funcpipe("query", "union", "--index", index.toString(), "--top", "10", "--json",
                "--filter", "year=1863..");
        assertThat(open.json()).extracting(h -> h.get("docId").asText()).containsExactlyInAnyOrder("s1863", "s1941");
        Run both = funcpipe("query", "union", "--index", index.toString(), "--top", "10", "--json",
                "--filter", "year=..1862", "--filter", "party=Republican");
        assertThat(both.json()).extracting(h -> h.get("docId").asText()).containsExactly("s1862");
    }

    @Test
    @DisplayName("a filter that matches nothing says so; a malformed one is a usage error")
    void filterEdges() {
        Run none = funcpipe("query", "union", "--index", index.toString(), "--filter", "party=Whig");
        assertThat(none.exit()).isZero();
        assertThat(none.out()).contains("No chunk in", "matches party=Whig");
        Run bad = funcpipe("query", "union", "--index", index.toString(), "--filter", "year=abc..1900");
        assertThat(bad.exit()).isEqualTo(Main.USAGE);
        assertThat(bad.err()).contains("'abc' is not a number");
        Run noField = funcpipe("query", "union", "--index", index.toString(), "--filter", "Lincoln");
        assertThat(noField.exit()).isEqualTo(Main.USAGE);
        assertThat(noField.err()).contains("field=value");
    }

    @Test
    @DisplayName("usage errors exit 2: --top 0, an empty text, a missing index")
    void usage() {
        assertThat(funcpipe("query", "x", "--index", index.toString(), "--top", "0").exit()).isEqualTo(Main.USAGE);
        assertThat(funcpipe("query", " ", "--index", index.toString()).exit()).isEqualTo(Main.USAGE);
        Run missing = funcpipe("query", "x", "--index", tmp.resolve("none").toString());
        assertThat(missing.exit()).isEqualTo(Main.USAGE);
        assertThat(missing.err()).contains("no index at");
    }

    @Test
    @DisplayName("--mode keyword finds the chunks holding the words (BM25), with filters; hybrid fuses both rankings")
    void modes() {
        Run keyword = funcpipe("query", "emancipation", "--index", index.toString(), "--top", "10", "--json",
                "--mode", "keyword");
        assertThat(keyword.exit()).as(keyword.both()).isZero();
        assertThat(keyword.json()).extracting(h -> h.get("docId").asText()).containsExactlyInAnyOrder("s1862", "s1863");
        Run filtered = funcpipe("query", "emancipation", "--index", index.toString(), "--json", "--mode", "keyword",
                "--filter", "year=1863");
        assertThat(filtered.json()).extracting(h -> h.get("docId").asText()).containsExactly("s1863");
        Run hybrid = funcpipe("query", "compensated emancipation", "--index", index.toString(), "--top", "4", "--json",
                "--mode", "hybrid");
        assertThat(hybrid.exit()).as(hybrid.both()).isZero();
        assertThat(hybrid.json()).hasSize(4);
        assertThat(hybrid.json().get(0).get("docId").asText()).isEqualTo("s1862");
        Run high = funcpipe("query", "emancipation", "--index", index.toString(), "--json", "--min-score", "1.5");
        assertThat(high.json()).isEmpty();
    }

    @Test
    @DisplayName("an unknown --mode or a --top past 1000 is a usage error naming the option")
    void badModeOrTop() {
        Run mode = funcpipe("query", "union", "--index", index.toString(), "--mode", "fuzzy");
        assertThat(mode.exit()).isEqualTo(2);
        assertThat(mode.err()).contains("unknown search mode 'fuzzy'", "vector, keyword, hybrid");
        Run top = funcpipe("query", "union", "--index", index.toString(), "--top", "1001");
        assertThat(top.exit()).isEqualTo(2);
        assertThat(top.err()).contains("--top must be from 1 to 1000");
    }
}
