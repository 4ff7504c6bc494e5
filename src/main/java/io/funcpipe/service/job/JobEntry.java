package io.funcpipe.service.job;

import java.time.Instant;

import io.funcpipe.adapters.index.CheckpointJson;
import io.funcpipe.rag.Checkpoint;
import io.vertx.core.json.JsonObject;

/**
 * A job as its ledger entry ({@link JobLedger}): what a restarted supervisor needs to list it,
 * resume it or report how it ended. {@code {"id", "owner", "spec", "state", "submittedAt", "startedAt",
 * "endedAt", "error", "resumes", "cancelRequested", "checkpoint", "final"}}; {@code final} is the
 * frozen status of an ended job. {@code owner} is the principal that submitted the job; an entry
 * written before jobs had owners has none, and its job is then visible to admins only.
 */
final class JobEntry {

    private JobEntry() {
    }

    /** The job's entry now. Call on the supervisor's context. */
    static JsonObject of(Job job) {
        Checkpoint committed = job.committed;
        Job.Ended ended = job.phase instanceof Job.Ended e ? e : null;
        return new JsonObject()
                .put("id", job.id)
                .put("owner", job.owner)
                .put("spec", job.specJson)
                .put("state", job.state().name())
                .put("submittedAt", job.submittedAt.toString())
                .put("startedAt", job.startedAt == null ? null : job.startedAt.toString())
                .put("endedAt", ended == null ? null : ended.at().toString())
                .put("error", job.error)
                .put("resumes", job.resumes)
                .put("cancelRequested", job.cancelRequested)
                .put("checkpoint", committed == null ? null : new JsonObject(CheckpointJson.write(committed)))
                .put("final", ended == null ? null : ended.status());
    }

    static String id(JsonObject entry) {
        return entry.getString("id");
    }

    static JsonObject spec(JsonObject entry) {
        JsonObject spec = entry.getJsonObject("spec");
        return spec == null ? new JsonObject() : spec;
    }

    static JobState state(JsonObject entry) {
        try {
            return JobState.valueOf(entry.getString("state", ""));
        } catch (IllegalArgumentException e) {
            return JobState.FAILED;
        }
    }

    static Instant time(JsonObject entry, String field) {
        String text = entry.getString(field);
        return text == null ? null : Instant.parse(text);
    }

    /**
     * A job restored from its entry: {@code spec} is the spec read again under today's rules (null
     * for an ended job, or when it no longer reads; then the job cannot run again). An ended job is
     * {@link Job.Ended} with its frozen status; any other is {@link Job.Queued}.
     */
    static Job restore(JsonObject entry, JobSpec spec) {
        Job job = new Job(id(entry), spec, spec(entry), time(entry, "submittedAt"), entry.getString("owner"));
        JobState state = state(entry);
        Instant endedAt = time(entry, "endedAt");
        JsonObject status = entry.getJsonObject("final");
        if (state.isFinal()) {
            job.phase = new Job.Ended(state, endedAt == null ? Instant.EPOCH : endedAt,
                    status == null ? new JsonObject().put("id", job.id).put("state", state.name()) : status);
        }
        job.startedAt = time(entry, "startedAt");
        job.error = entry.getString("error");
        job.resumes = entry.getInteger("resumes", 0);
        job.cancelRequested = entry.getBoolean("cancelRequested", false);
        JsonObject checkpoint = entry.getJsonObject("checkpoint");
        job.committed = checkpoint == null ? null : CheckpointJson.read(checkpoint.encode()).orElse(null);
        return job;
    }
}
