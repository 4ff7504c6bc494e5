package io.funcpipe.service.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.source.FieldMapping;
import io.funcpipe.adapters.source.Format;
import io.funcpipe.adapters.source.UrlPolicy;
import io.funcpipe.core.policy.Policies;
import io.funcpipe.core.policy.RateLimit;
import io.vertx.core.json.JsonObject;

@DisplayName("JobSpecJson")
class JobSpecJsonTest {

    @TempDir
    Path tmp;
    Path root;
    Path doc;
    SpecRules rules;

    @BeforeEach
    void roots() throws IOException {
        root = Files.createDirectories(tmp.resolve("data"));
        doc = Files.writeString(root.resolve("a.txt"), "Some text.");
        Files.createDirectories(root.resolve("docs"));
        rules = new SpecRules(List.of(root), EmbedderSpec.Kind.HASH, 128);
    }

    private JobSpec valid(String json) {
        SpecCheck check = JobSpecJson.read(json, rules);
        assertThat(check).as("%s", check).isInstanceOf(SpecCheck.Valid.class);
        return ((SpecCheck.Valid) check).spec();
    }

    private List<SpecProblem> problems(String json) {
        SpecCheck check = JobSpecJson.read(json, rules);
        assertThat(check).as("%s", check).isInstanceOf(SpecCheck.Invalid.class);
        return ((SpecCheck.Invalid) check).problems();
    }

    /** The one problem of {@code json}, checked to name {@code field}. */
    private String problem(String json, String field) {
        List<SpecProblem> problems = problems(json);
        assertThat(problems).as("%s", problems).singleElement().extracting(SpecProblem::field).isEqualTo(field);
        assertThat(problems.getFirst().message()).startsWith(field.isEmpty() ? "" : field);
        return problems.getFirst().message();
    }

    private String spec(String fields) {
        return "{\"sources\": [\"a.txt\"], \"index\": \"docs\"" + (fields.isEmpty() ? "" : ", " + fields) + "}";
    }

    @Nested
    @DisplayName("a valid spec")
    class Valid {

        @Test
        @DisplayName("takes every default and resolves its sources to real paths under the roots")
        void defaults() throws IOException {
            JobSpec spec = valid(spec(""));

            assertThat(spec.sources()).containsExactly(doc.toRealPath().toString());
            assertThat(spec.format()).isEqualTo(Format.AUTO);
            assertThat(spec.fields()).isEqualTo(FieldMapping.defaults());
            assertThat(spec.index()).isEqualTo("docs");
            assertThat(spec.chunking()).isEqualTo(JobSpec.Chunking.DEFAULT);
            assertThat(spec.embedder()).isNull();
            assertThat(spec.policies()).isEqualTo(Policies.DEFAULT);
            assertThat(spec.weight()).isEqualTo(1);
            assertThat(spec.sync()).isEqualTo(io.funcpipe.rag.SyncMode.INCREMENTAL);
        }

        @Test
        @DisplayName("reads every field, and writing it back then reading gives the same spec")
        void everyFieldRoundTrips() throws IOException {
            rules = rules.withUrls(UrlPolicy.allowing(List.of("127.0.0.1")));
            JobSpec spec = valid("""
                    {"sources": ["a.txt", "%s", "https://127.0.0.1/feed.jsonl"], "format": "JSONL",
                     "fields": {"id": "uid", "text": "body", "metadata": ["year", "author"]},
                     "index": "sotu-2024.v1", "chunking": {"maxTokens": 100, "overlap": 10}, "embedder": "hash",
                     "policies": {"retry": {"maxAttempts": 5}, "timeout": {"perItem": "2s"},
                                  "rateLimit": {"permitsPerSecond": 20, "burst": 5}},
                     "weight": 3}
                    """.formatted(root.resolve("docs")));

            assertThat(spec.sources()).containsExactly(doc.toRealPath().toString(),
                    root.resolve("docs").toRealPath().toString(), "https://127.0.0.1/feed.jsonl");
            assertThat(spec.format()).isEqualTo(Format.JSONL);
            assertThat(spec.fields()).isEqualTo(new FieldMapping("uid", "body", List.of("year", "author")));
            assertThat(spec.chunking()).isEqualTo(new JobSpec.Chunking(100, 10));
            assertThat(spec.embedder()).isEqualTo("hash");
            assertThat(spec.policies().retry().maxAttempts()).isEqualTo(5);
            assertThat(spec.policies().timeout().perItem()).isEqualTo(Duration.ofSeconds(2));
            assertThat(spec.policies().rateLimit()).isEqualTo(RateLimit.of(20, 5));
            assertThat(spec.weight()).isEqualTo(3);

            JsonObject written = JobSpecJson.write(spec);
            assertThat(valid(written.encode())).isEqualTo(spec);
        }

        @Test
        @DisplayName("a symbolic link inside a root to a file inside a root is fine, and reads as the target")
        void linkInsideRoots() throws IOException {
            Files.createSymbolicLink(root.resolve("link.txt"), doc);

            assertThat(valid("{\"sources\": [\"link.txt\"], \"index\": \"docs\"}").sources())
                    .containsExactly(doc.toRealPath().toString());
        }
    }

    @Nested
    @DisplayName("the spec as a whole")
    class Whole {

        @Test
        void notJson() {
            assertThat(problem("{\"sources\": [", "")).startsWith("the job spec is not valid JSON at line 1");
        }

        @Test
        void notAnObject() {
            assertThat(problem("[1, 2]", "")).startsWith("the job spec must be a JSON object").endsWith("got [1,2]");
        }

        @Test
        @DisplayName("sync is none, incremental (the default) or full; anything else is named")
        void syncMode() {
            assertThat(problem(spec("\"sync\": \"sometimes\""), "sync"))
                    .isEqualTo("sync must be \"none\", \"incremental\" or \"full\", got \"sometimes\"");
        }

        @Test
        @DisplayName("an unknown field is named, with the known ones")
        void unknownField() {
            assertThat(problem(spec("\"priority\": 5"), "priority"))
                    .isEqualTo("priority: unknown field; known fields are [sources, format, fields, index, chunking, "
                            + "embedder, policies, weight, sync]");
        }

        @Test
        @DisplayName("every problem is reported at once, each naming its field")
        void everyProblemAtOnce() {
            List<SpecProblem> problems = problems("""
                    {"sources": ["a.txt", "/etc/passwd"], "index": "../x", "weight": 0, "colour": "red",
                     "chunking": {"overlap": -1}}
                    """);

            assertThat(problems).extracting(SpecProblem::field)
                    .containsExactly("colour", "sources[1]", "index", "chunking.overlap", "weight");
            SpecCheck.Invalid invalid = new SpecCheck.Invalid(problems);
            assertThat(invalid.message()).startsWith("invalid job spec (5 problems):\n- colour: unknown field")
                    .contains("\n- sources[1]: /etc/passwd is outside the input roots [" + root
                            + "]; put the file under an input root or add a root to inputRoots")
                    .endsWith("\n- weight must be >= 1, got 0");
        }
    }

    @Nested
    @DisplayName("sources")
    class Sources {

        @Test
        void required() {
            assertThat(problem("{\"index\": \"docs\"}", "sources")).startsWith("sources is required");
        }

        @Test
        void aList() {
            assertThat(problem("{\"sources\": \"a.txt\", \"index\": \"docs\"}", "sources"))
                    .isEqualTo("sources must be a list of files, folders or http(s) URLs, got \"a.txt\"");
        }

        @Test
        void notEmpty() {
            assertThat(problem("{\"sources\": [], \"index\": \"docs\"}", "sources")).startsWith("sources must not be empty");
        }

        @Test
        void stringsOnly() {
            assertThat(problem("{\"sources\": [\"a.txt\", 7], \"index\": \"docs\"}", "sources[1]"))
                    .isEqualTo("sources[1] must be a file, folder or http(s) URL as a non-empty string, got 7");
        }

        @Test
        @DisplayName("an absolute path outside the input roots is refused, without saying whether it exists")
        void outsideTheRoots() {
            assertThat(problem("{\"sources\": [\"a.txt\", \"/etc/passwd\"], \"index\": \"docs\"}", "sources[1]"))
                    .isEqualTo("sources[1]: /etc/passwd is outside the input roots [" + root
                            + "]; put the file under an input root or add a root to inputRoots");
            assertThat(problem("{\"sources\": [\"/etc/no-such-file\"], \"index\": \"docs\"}", "sources[0]"))
                    .contains("is outside the input roots");
        }

        @Test
        @DisplayName("a relative path cannot climb out of a root")
        void dotDotEscape() throws IOException {
            Files.writeString(tmp.resolve("secret.txt"), "x");

            assertThat(problem("{\"sources\": [\"../secret.txt\"], \"index\": \"docs\"}", "sources[0]"))
                    .isEqualTo("sources[0]: ../secret.txt is outside the input roots [" + root
                            + "]; put the file under an input root or add a root to inputRoots");
        }

        @Test
        @DisplayName("a symbolic link inside a root that leads outside is refused")
        void linkLeadingOutside() throws IOException {
            Path secret = Files.writeString(tmp.resolve("secret.txt"), "x");
            Files.createSymbolicLink(root.resolve("evil.txt"), secret);

            assertThat(problem("{\"sources\": [\"evil.txt\"], \"index\": \"docs\"}", "sources[0]"))
                    .isEqualTo("sources[0]: evil.txt resolves to " + secret.toRealPath() + ", outside the input roots ["
                            + root + "]; put the file under an input root or add a root to inputRoots");
        }

        @Test
        void missingFile() {
            assertThat(problem("{\"sources\": [\"nope.txt\"], \"index\": \"docs\"}", "sources[0]"))
                    .isEqualTo("sources[0]: no such file or folder: nope.txt under the input roots [" + root
                            + "]; check the path");
        }

        @Test
        @DisplayName("http(s) URLs to allowed hosts pass; other schemes and URLs without a host do not")
        void urls() {
            rules = rules.withUrls(UrlPolicy.allowing(List.of("127.0.0.1")));
            assertThat(valid("{\"sources\": [\"HTTP://127.0.0.1/a.jsonl\"], \"index\": \"docs\"}").sources())
                    .containsExactly("HTTP://127.0.0.1/a.jsonl");
            assertThat(problem("{\"sources\": [\"ftp://example.org/a.txt\"], \"index\": \"docs\"}", "sources[0]"))
                    .contains("only http and https URLs are read");
            assertThat(problem("{\"sources\": [\"file:///etc/passwd\"], \"index\": \"docs\"}", "sources[0]"))
                    .contains("only http and https URLs are read");
            assertThat(problem("{\"sources\": [\"http://\"], \"index\": \"docs\"}", "sources[0]"))
                    .contains("malformed URL 'http://'");
        }

        @Test
        @DisplayName("without input roots only URLs may be read")
        void noRoots() {
            rules = new SpecRules(List.of(), EmbedderSpec.Kind.HASH, 128);

            assertThat(problem(spec(""), "sources[0]")).contains("has no input roots, so it reads http(s) URLs only");
        }
    }

    @Nested
    @DisplayName("format, fields and index")
    class FormatFieldsIndex {

        @Test
        void unknownFormat() {
            assertThat(problem(spec("\"format\": \"pdf\""), "format"))
                    .isEqualTo("format: unknown format 'pdf'; use one of auto, csv, jsonl, text, document");
        }

        @Test
        void fieldMapping() {
            List<SpecProblem> problems = problems(spec("\"fields\": {\"text\": \" \", \"metadata\": \"year\", \"key\": 1}"));

            assertThat(problems).extracting(SpecProblem::field).containsExactly("fields.key", "fields.text", "fields.metadata");
            assertThat(problems.get(0).message()).isEqualTo("fields.key: unknown field; known fields are [id, text, metadata]");
            assertThat(problems.get(1).message()).isEqualTo("fields.text must be a non-empty field name, got \" \"");
        }

        @Test
        void indexRequired() {
            assertThat(problem("{\"sources\": [\"a.txt\"]}", "index")).startsWith("index is required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"../x", "a/b", "..", ".", "a\\\\b", "/abs", "with space", "dots..inside"})
        @DisplayName("an index is a simple name, never a path")
        void indexNotAPath(String name) {
            assertThat(problem(spec("").replace("\"docs\"", "\"" + name + "\""), "index"))
                    .startsWith("index must be a simple name (letters, digits, '-', '_', '.'; no '..'), not a path");
        }

        @Test
        void indexLengthAndType() {
            assertThat(problem(spec("").replace("\"docs\"", "\"" + "x".repeat(129) + "\""), "index"))
                    .isEqualTo("index must be at most 128 characters, got 129");
            assertThat(problem(spec("").replace("\"docs\"", "7"), "index")).isEqualTo("index must be a name such as \"docs\", got 7");
        }
    }

    @Nested
    @DisplayName("chunking")
    class Chunking {

        @Test
        void maxTokensWithinTheWindow() {
            assertThat(problem(spec("\"chunking\": {\"maxTokens\": 999}"), "chunking.maxTokens"))
                    .isEqualTo("chunking.maxTokens must be between 0 (the model window) and 128 (the window of the hash "
                            + "embedder), got 999");
            assertThat(problem(spec("\"chunking\": {\"maxTokens\": -1}"), "chunking.maxTokens")).endsWith("got -1");
        }

        @Test
        void roomForText() {
            assertThat(problem(spec("\"chunking\": {\"maxTokens\": 2}"), "chunking.maxTokens"))
                    .isEqualTo("chunking.maxTokens 2 leaves no room for text after the 2 special tokens; use at least 3");
        }

        @Test
        void overlapAtMostHalf() {
            assertThat(problem(spec("\"chunking\": {\"maxTokens\": 22, \"overlap\": 11}"), "chunking.overlap"))
                    .isEqualTo("chunking.overlap 11 is more than half of the 20 tokens a chunk holds for text; use at most 10");
            assertThat(valid(spec("\"chunking\": {\"maxTokens\": 22, \"overlap\": 10}")).chunking())
                    .isEqualTo(new JobSpec.Chunking(22, 10));
        }

        @Test
        void wholeNumbers() {
            assertThat(problem(spec("\"chunking\": {\"maxTokens\": 12.5}"), "chunking.maxTokens"))
                    .isEqualTo("chunking.maxTokens must be a whole number, got 12.5");
            assertThat(problem(spec("\"chunking\": {\"size\": 12}"), "chunking.size"))
                    .isEqualTo("chunking.size: unknown field; known fields are [maxTokens, overlap]");
        }
    }

    @Nested
    @DisplayName("embedder, policies and weight")
    class EmbedderPoliciesWeight {

        @Test
        @DisplayName("the embedder, if named, must be the service's")
        void embedder() {
            assertThat(valid(spec("\"embedder\": \"HASH\"")).embedder()).isEqualTo("HASH");
            assertThat(problem(spec("\"embedder\": \"minilm\""), "embedder"))
                    .isEqualTo("embedder: this service embeds with hash, not minilm; leave embedder out or set it to \"hash\"");
            assertThat(problem(spec("\"embedder\": \"word2vec\""), "embedder"))
                    .isEqualTo("embedder: unknown embedder 'word2vec'; use one of minilm, minilm-q, bge-small-q, hash, openai");
        }

        @Test
        @DisplayName("policy errors name the field under policies")
        void policies() {
            assertThat(problem(spec("\"policies\": {\"retry\": {\"maxAttempts\": 0}}"), "policies.retry.maxAttempts"))
                    .isEqualTo("policies.retry.maxAttempts must be >= 1, got 0");
            assertThat(problem(spec("\"policies\": {\"retry\": {\"attempts\": 2}}"), "policies.retry.attempts"))
                    .startsWith("policies.retry.attempts: unknown field; known fields are");
            assertThat(problem(spec("\"policies\": 3"), "policies")).startsWith("policies must be an object");
        }

        @Test
        @DisplayName("policy sections a job does not use are refused with the reason")
        void unusedPolicies() {
            assertThat(problem(spec("\"policies\": {\"fairness\": {\"weight\": 2}}"), "policies.fairness"))
                    .contains("the top-level field weight");
            assertThat(problem(spec("\"policies\": {\"backpressure\": {\"bufferSize\": 2}}"), "policies.backpressure"))
                    .contains("demand-driven");
        }

        @Test
        void weight() {
            assertThat(problem(spec("\"weight\": 0"), "weight")).isEqualTo("weight must be >= 1, got 0");
            assertThat(problem(spec("\"weight\": 1001"), "weight")).isEqualTo("weight must be <= 1000, got 1001");
            assertThat(problem(spec("\"weight\": \"2\""), "weight")).isEqualTo("weight must be a whole number, got \"2\"");
            assertThat(problem(spec("\"weight\": 1.5"), "weight")).isEqualTo("weight must be a whole number, got 1.5");
            assertThat(valid(spec("\"weight\": null")).weight()).as("null means the default").isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("the record")
    class Record {

        @Test
        @DisplayName("checks the same invariants when built in code")
        void invariants() {
            assertThatThrownBy(() -> JobSpec.of(List.of(), "docs")).hasMessageStartingWith("sources must not be empty");
            assertThatThrownBy(() -> JobSpec.of(List.of("a"), "a/b")).hasMessageStartingWith("index must be a simple name");
            assertThatThrownBy(() -> JobSpec.of(List.of("a"), "docs").withWeight(0)).hasMessage("weight must be >= 1, got 0");
            assertThatThrownBy(() -> new JobSpec.Chunking(-1, 0)).hasMessageStartingWith("chunking.maxTokens must be >= 0");
        }
    }
}
