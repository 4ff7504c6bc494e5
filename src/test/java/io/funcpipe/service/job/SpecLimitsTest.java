package io.funcpipe.service.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

@DisplayName("job spec limits: each refusal names its field and its config key")
class SpecLimitsTest {

    @TempDir
    Path tmp;
    SpecRules rules;

    @BeforeEach
    void roots() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(root.resolve("a.txt"), "Some text.");
        rules = new SpecRules(List.of(root), EmbedderSpec.Kind.HASH, 128);
    }

    private List<SpecProblem> problems(JsonObject spec) {
        SpecCheck check = JobSpecJson.read(spec, rules);
        assertThat(check).as("%s", check).isInstanceOf(SpecCheck.Invalid.class);
        return ((SpecCheck.Invalid) check).problems();
    }

    private static JsonObject spec(List<String> sources) {
        return new JsonObject().put("sources", new JsonArray(sources)).put("index", "docs");
    }

    @Test
    @DisplayName("the same file listed 2,000 times is refused, each repeat naming the first")
    void duplicates() {
        rules = rules.withLimits(JobLimits.defaults().withMaxSources(5_000));
        List<SpecProblem> problems = problems(spec(Collections.nCopies(2_000, "a.txt")));

        assertThat(problems).hasSize(1_999);
        assertThat(problems.getFirst().field()).isEqualTo("sources[1]");
        assertThat(problems.getFirst().message()).startsWith("sources[1]: a.txt is sources[0] again (")
                .endsWith("); list each source once");
    }

    @Test
    @DisplayName("more sources than limits.sourcesPerJob is one problem naming the limit, before any is resolved")
    void tooManySources() {
        rules = rules.withLimits(JobLimits.defaults().withMaxSources(3));
        List<SpecProblem> problems = problems(spec(List.of("a.txt", "b.txt", "c.txt", "d.txt")));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("sources");
            assertThat(p.message()).isEqualTo("sources lists 4 sources, more than the limit of 3 per job "
                    + "(limits.sourcesPerJob); name folders instead of their files, or split the job");
        });
    }

    @Test
    @DisplayName("a spec larger than limits.specBytes is refused before it is parsed")
    void specSize() {
        rules = rules.withLimits(JobLimits.defaults().withMaxSpecBytes(2_048));
        String big = spec(List.of("a.txt")).put("padding", "x".repeat(4_000)).encode();

        SpecCheck check = JobSpecJson.read(big, rules);

        assertThat(check).isInstanceOfSatisfying(SpecCheck.Invalid.class, invalid -> assertThat(invalid.problems())
                .singleElement().extracting(SpecProblem::message).asString()
                .startsWith("the job spec is " + big.length() + " bytes of JSON, more than the limit of 2048 bytes "
                        + "(limits.specBytes)"));
    }

    @Test
    @DisplayName("policies beyond the bounds: attempts, time budgets and the slowest rate, each naming its key")
    void policyBounds() {
        JsonObject policies = new JsonObject()
                .put("retry", new JsonObject().put("maxAttempts", 1_000).put("expireIn", "2h"))
                .put("timeout", new JsonObject().put("perItem", "3h"))
                .put("rateLimit", new JsonObject().put("permitsPerSecond", 0.001).put("burst", 1));
        List<SpecProblem> problems = problems(spec(List.of("a.txt")).put("policies", policies));

        assertThat(problems).extracting(SpecProblem::field).containsExactly("policies.retry.maxAttempts",
                "policies.retry.expireIn", "policies.timeout.perItem", "policies.rateLimit.permitsPerSecond");
        assertThat(problems).extracting(SpecProblem::message).containsExactly(
                "policies.retry.maxAttempts must be at most 10 (limits.maxAttempts), got 1000",
                "policies.retry.expireIn must be at most PT1H (limits.maxTimeBudget), got PT2H",
                "policies.timeout.perItem must be at most PT1H (limits.maxTimeBudget), got PT3H",
                "policies.rateLimit.permitsPerSecond must be at least 1.0 (limits.minRate), got 0.001: a slower job "
                        + "holds a run slot and its index for as long as it runs");
    }

    @ParameterizedTest
    @ValueSource(strings = {".git", "-rf", "_x", ".hidden"})
    @DisplayName("an index name that does not start with a letter or digit is refused at submit")
    void indexNames(String name) {
        List<SpecProblem> problems = problems(spec(List.of("a.txt")).put("index", name));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("index");
            assertThat(p.message()).isEqualTo("index must start with a letter or a digit, got \"" + name + "\" (names "
                    + "such as \".git\" or \"-rf\" would be hidden folders or read as options); name it such as \"docs\"");
        });
    }
}
