package io.funcpipe.service.job;

import java.time.Instant;

import io.funcpipe.adapters.index.CheckpointJson;
import io.funcpipe.core.policy.WeightedGate;
import io.funcpipe.rag.Checkpoint;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.Stage;
import io.funcpipe.rag.StageCount;
import io.funcpipe.service.job.Job.Attempt;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A job's status as JSON: the reply to status, cancel and list, and the body of progress events (see docs/job-api.md). */
final class JobStatusJson {

    private static final JsonObject NO_ERRORS = new JsonObject().put("count", 0).putNull("log").put("unlogged", 0)
            .put("recent", new JsonArray());

    private JobStatusJson() {
    }

    /** The status now; {@code share} is the job's place at the embed gate. Call on the supervisor's context. */
    static JsonObject of(Job job, WeightedGate.JobShare share) {
        if (job.phase instanceof Job.Ended ended) {
            return ended.status().copy();
        }
        return status(job, share, job.state(), null, null);
    }

    /** The frozen status of a job that ends now in {@code state}, with its report (null if it did not run). */
    static JsonObject ended(Job job, WeightedGate.JobShare share, JobState state, Instant at, JsonObject report) {
        return status(job, share, state, at, report);
    }

    private static JsonObject status(Job job, WeightedGate.JobShare share, JobState state, Instant endedAt,
                                     JsonObject report) {
        IngestCounters counters = job.counters();
        Attempt attempt = job.attempt();
        JsonObject stages = new JsonObject();
        for (Stage stage : Stage.values()) {
            StageCount c = counters.stage(stage);
            stages.put(stage.label(), new JsonObject().put("in", c.in()).put("ok", c.ok()).put("failed", c.failed()));
        }
        double seconds = attempt == null ? 0 : attempt.run().seconds();
        long indexed = counters.stage(Stage.INDEX).ok();
        return new JsonObject()
                .put("id", job.id)
                .put("state", state.name())
                .put("owner", job.owner)
                .put("spec", job.spec == null ? job.specJson : JobSpecJson.summary(job.spec))
                .put("resumes", job.resumes)
                .put("submittedAt", time(job.submittedAt))
                .put("startedAt", time(job.startedAt))
                .put("endedAt", time(endedAt))
                .put("stages", stages)
                .put("sync", new JsonObject(CheckpointJson.sync(attempt == null ? counters.sync()
                        : counters.sync().plus(attempt.tracker().base().sync())).toString()))
                .put("chunksPerSecond", seconds > 0 ? Math.round(indexed / seconds * 10) / 10.0 : 0.0)
                .put("bytes", new JsonObject().put("read", attempt == null ? 0 : attempt.bytesRead().getAsLong())
                        .put("settled", counters.bytesSettled())
                        .put("total", attempt == null ? -1 : attempt.totalBytes().getAsLong()))
                .put("embed", new JsonObject().put("granted", share.granted()).put("waiting", share.waiting())
                        .put("running", share.running()))
                .put("errors", attempt == null ? NO_ERRORS.copy() : attempt.run().errors().json())
                .put("error", job.error)
                .put("waiting", job.waiting())
                .put("checkpoint", checkpoint(job))
                .put("report", report);
    }

    /** The job's last committed checkpoint: {@code {"docs", "chunksIndexed", "time", ...}}, or null before its first commit. */
    private static JsonObject checkpoint(Job job) {
        Checkpoint committed = job.committed;
        return committed == null ? null : new JsonObject(CheckpointJson.write(committed));
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
