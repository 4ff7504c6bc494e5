package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;

import io.funcpipe.adapters.json.PolicyJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A {@link JobSpec} to and from JSON (the body of {@code funcpipe.jobs.submit}). Reading checks
 * the spec against a service's {@link SpecRules} and returns every problem at once, each naming its
 * field: unknown fields, wrong types, out-of-range values, sources outside the input roots or
 * missing, an embedder the service does not run, bad policies (through {@link PolicyJson}).
 * Reading resolves source paths on the file system: call it off event-loop threads.
 */
public final class JobSpecJson {

    private static final PolicyJson POLICY_JSON = PolicyJson.create();

    private JobSpecJson() {
    }

    /** Reads and checks a spec from JSON text. */
    public static SpecCheck read(String json, SpecRules rules) {
        requireNonNull(json, "json");
        requireNonNull(rules, "rules");
        int max = rules.limits().maxSpecBytes();
        int bytes = json.length() > max / 3 ? json.getBytes(StandardCharsets.UTF_8).length : json.length();
        if (bytes > max) {
            return new SpecCheck.Invalid(List.of(new SpecProblem("", "the job spec is " + bytes + " bytes of JSON, more "
                    + "than the limit of " + max + " bytes (limits.specBytes); name folders instead of their files, "
                    + "or split the job")));
        }
        JsonNode tree;
        try {
            tree = POLICY_JSON.mapper().readTree(json);
        } catch (JacksonException e) {
            return new SpecCheck.Invalid(List.of(new SpecProblem("", "the job spec is not valid JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage())));
        }
        return new JobSpecReader(rules, POLICY_JSON).read(tree);
    }

    /** Reads and checks a spec from a Vert.x JSON object (an event-bus body). */
    public static SpecCheck read(JsonObject json, SpecRules rules) {
        return read(requireNonNull(json, "json").encode(), rules);
    }

    /**
     * The spec as JSON, every field written (the policies a job uses in full: retry, timeout,
     * rateLimit); reading it back under rules that accept its sources gives an equal spec.
     */
    public static JsonObject write(JobSpec spec) {
        requireNonNull(spec, "spec");
        JsonObject json = summary(spec);
        json.put("fields", new JsonObject()
                .put("id", spec.fields().idField())
                .put("text", spec.fields().textField())
                .put("metadata", new JsonArray(spec.fields().metadataFields())));
        JsonObject policies = new JsonObject(POLICY_JSON.write(spec.policies()));
        policies.remove("backpressure"); // sections a job does not use (see JobSpecReader)
        policies.remove("fairness");
        json.put("policies", policies);
        return json;
    }

    /**
     * The fields a person looks at in a status: sources, format, index, chunking, embedder (when
     * the spec names one), weight and sync mode.
     */
    public static JsonObject summary(JobSpec spec) {
        requireNonNull(spec, "spec");
        JsonObject json = new JsonObject()
                .put("sources", new JsonArray(spec.sources()))
                .put("format", spec.format().name().toLowerCase(java.util.Locale.ROOT))
                .put("index", spec.index())
                .put("chunking", new JsonObject()
                        .put("maxTokens", spec.chunking().maxTokens())
                        .put("overlap", spec.chunking().overlap()));
        if (spec.embedder() != null) {
            json.put("embedder", spec.embedder());
        }
        return json.put("weight", spec.weight()).put("sync", spec.sync().label());
    }
}
