package io.funcpipe.service.job;

import java.time.Instant;

import io.funcpipe.core.policy.WeightedGate;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.Stage;
import io.funcpipe.rag.StageCount;
import io.vertx.core.json.JsonObject;

/** A job's status as JSON: the reply to status, cancel and list, and the body of progress events (see docs/job-api.md). */
final class JobStatusJson {

    private static final JsonObject NO_ERRORS = new JsonObject().put("count", 0).putNull("log").put("unlogged", 0)
            .put("recent", new io.vertx.core.json.JsonArray());

    private JobStatusJson() {
    }

    /** The status now; {@code share} is the job's place at the embed gate. Call on the supervisor's context. */
    static JsonObject of(Job job, WeightedGate.JobShare share) {
        if (job.finalStatus != null) {
            return job.finalStatus.copy();
        }
        IngestCounters counters = job.counters();
        JsonObject stages = new JsonObject();
        for (Stage stage : Stage.values()) {
            StageCount c = counters.stage(stage);
            stages.put(stage.label(), new JsonObject().put("in", c.in()).put("ok", c.ok()).put("failed", c.failed()));
        }
        double seconds = job.run == null ? 0 : job.run.seconds();
        long indexed = counters.stage(Stage.INDEX).ok();
        JsonObject json = new JsonObject()
                .put("id", job.id)
                .put("state", job.state.name())
                .put("spec", job.spec == null ? job.specJson : JobSpecJson.summary(job.spec))
                .put("resumes", job.resumes)
                .put("submittedAt", time(job.submittedAt))
                .put("startedAt", time(job.startedAt))
                .put("endedAt", time(job.endedAt))
                .put("stages", stages)
                .put("chunksPerSecond", seconds > 0 ? Math.round(indexed / seconds * 10) / 10.0 : 0.0)
                .put("bytes", new JsonObject().put("read", job.bytesRead.getAsLong())
                        .put("settled", counters.bytesSettled()).put("total", job.totalBytes.getAsLong()))
                .put("embed", new JsonObject().put("granted", share.granted()).put("waiting", share.waiting())
                        .put("running", share.running()))
                .put("errors", job.run == null ? NO_ERRORS.copy() : job.run.errors().json())
                .put("error", job.error)
                .put("waiting", job.waiting)
                .put("checkpoint", checkpoint(job))
                .put("report", job.state.isFinal() ? job.report : null);
        return json;
    }

    /** The job's last committed checkpoint: {@code {"docs", "chunksIndexed", "time", ...}}, or null before its first commit. */
    private static JsonObject checkpoint(Job job) {
        io.funcpipe.rag.Checkpoint committed = job.committed;
        return committed == null ? null : new JsonObject(io.funcpipe.adapters.index.CheckpointJson.write(committed));
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
