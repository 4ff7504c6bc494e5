package io.funcpipe.service.job;

import static io.funcpipe.service.job.SupervisorFixture.await;
import static io.funcpipe.service.job.SupervisorFixture.refusal;
import static io.funcpipe.service.job.SupervisorFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.rag.IngestReport;
import io.funcpipe.rag.StageCount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;

@ExtendWith(VertxExtension.class)
@DisplayName("SupervisorVerticle")
class SupervisorVerticleTest {

    @TempDir
    Path tmp;
    SupervisorFixture fx;

    @BeforeEach
    void fixture(Vertx vertx) throws Exception {
        fx = new SupervisorFixture(vertx, tmp);
    }

    private static String state(JsonObject status) {
        return status.getString("state");
    }

    private static long stage(JsonObject json, String stage, String count) {
        return json.getJsonObject("stages").getJsonObject(stage).getLong(count);
    }

    @Nested
    @DisplayName("a job from submit to its final report")
    class Lifecycle {

        @Test
        @DisplayName("publishes progress while it runs, then a final event whose report equals an in-process run")
        void progressThenReport() throws Exception {
            fx.deploy(fx.options());
            Valve valve = fx.binder.valve("sotu", Valve.closed());
            String id = fx.submit(spec("sotu", "sotu"));
            List<JsonObject> progress = new CopyOnWriteArrayList<>();
            Future<JsonObject> end = fx.client.follow(id, progress::add);

            fx.waitUntil("a progress event while the job runs", () -> !progress.isEmpty());
            valve.open();
            JsonObject last = await(end);

            JsonObject first = progress.getFirst();
            assertThat(first.getBoolean("final")).isFalse();
            assertThat(state(first)).isEqualTo("RUNNING");
            assertThat(first.getString("id")).isEqualTo(id);
            assertThat(first.getJsonObject("spec").getString("index")).isEqualTo("sotu");
            assertThat(first.getJsonObject("bytes").getLong("total")).isPositive();
            assertThat(last.getBoolean("final")).isTrue();
            assertThat(state(last)).isEqualTo("SUCCEEDED");
            assertThat(last.getString("error")).isNull();
            assertThat(last.getString("endedAt")).isNotNull();

            IngestReport expected = fx.inProcess(tmp, List.of(fx.inputs.resolve("sotu").toString()));
            JsonObject report = last.getJsonObject("report");
            assertThat(report.getLong("documentsRead")).isEqualTo(expected.documentsRead()).isEqualTo(4);
            assertThat(report.getLong("documentsFailed")).isEqualTo(expected.documentsFailed());
            assertThat(report.getLong("chunksIndexed")).isEqualTo(expected.chunksIndexed()).isGreaterThan(4);
            assertThat(report.getLong("chunksFailed")).isEqualTo(expected.chunksFailed());
            assertThat(report.getLong("tokens")).isEqualTo(expected.tokens());
            assertThat(report.getLong("bytesRead")).isEqualTo(expected.bytesRead());
            assertThat(report.getString("embedder")).isEqualTo("hash");
            for (var stage : expected.stages().entrySet()) {
                StageCount c = stage.getValue();
                JsonObject actual = report.getJsonObject("stages").getJsonObject(stage.getKey());
                assertThat(List.of(actual.getLong("in"), actual.getLong("ok"), actual.getLong("failed")))
                        .as(stage.getKey()).containsExactly(c.in(), c.ok(), c.failed());
                assertThat(stage(last, stage.getKey(), "ok")).isEqualTo(c.ok());
            }
            assertThat(report.getString("index")).isEqualTo(fx.indexes.resolve("sotu").toString());
            assertThat(report.getString("errorsLog")).isEqualTo(fx.indexes.resolve("sotu/errors.jsonl").toString());
            assertThat(Files.readAllLines(fx.indexes.resolve("sotu/errors.jsonl"))).isEmpty();
            assertThat(fx.indexedChunks("sotu")).isEqualTo(expected.chunksIndexed());

            JsonObject after = fx.status(id);
            assertThat(after.copy().put("final", true)).as("the status of an ended job is its final event").isEqualTo(last);
            fx.assertEverythingReleased();
        }

        @Test
        @DisplayName("follow returns the end of a job that ended before it subscribed")
        void followAfterTheEnd() {
            fx.deploy(fx.options());
            String id = fx.submit(spec("notes", "small.txt"));
            fx.waitFor(id, "its end", s -> !state(s).equals("QUEUED") && !state(s).equals("RUNNING"));

            List<JsonObject> progress = new CopyOnWriteArrayList<>();
            JsonObject last = await(fx.client.follow(id, progress::add));

            assertThat(last.getBoolean("final")).isTrue();
            assertThat(state(last)).isEqualTo("SUCCEEDED");
            assertThat(last.getJsonObject("report").getLong("chunksIndexed")).isEqualTo(1);
            assertThat(progress).isEmpty();
        }

        @Test
        @DisplayName("a failed item is in errors.jsonl and in the status; the job still succeeds")
        void failedItemsAreLogged() throws Exception {
            fx.deploy(fx.options());
            String id = fx.submit(spec("docs", "docs.jsonl"));
            JsonObject last = await(fx.client.follow(id, e -> { }));

            assertThat(state(last)).isEqualTo("SUCCEEDED");
            assertThat(last.getJsonObject("report").getLong("documentsFailed")).isEqualTo(1);
            assertThat(last.getJsonObject("report").getLong("chunksIndexed")).isEqualTo(2);
            List<String> log = Files.readAllLines(fx.indexes.resolve("docs/errors.jsonl"));
            assertThat(log).singleElement().satisfies(line -> {
                JsonObject error = new JsonObject(line);
                assertThat(error.getString("code")).isEqualTo("MALFORMED_RECORD");
                assertThat(error.getString("location")).endsWith("docs.jsonl:2");
            });
            JsonObject errors = last.getJsonObject("errors");
            assertThat(errors.getLong("count")).isEqualTo(1);
            assertThat(errors.getLong("unlogged")).isZero();
            assertThat(errors.getJsonArray("recent").getJsonObject(0).getString("stage")).isEqualTo("parse");
        }

        @Test
        @DisplayName("counts jobs by final state and items per stage, and gauges running jobs")
        void metrics() {
            fx.deploy(fx.options());
            JsonObject last = await(fx.client.follow(fx.submit(spec("notes", "small.txt")), e -> { }));

            assertThat(fx.meters.get("funcpipe.jobs.submitted").counter().count()).isEqualTo(1);
            assertThat(fx.meters.get("funcpipe.jobs.ended").tag("state", "SUCCEEDED").counter().count()).isEqualTo(1);
            assertThat(fx.meters.get("funcpipe.jobs.items").tag("stage", "index").tag("outcome", "ok").counter().count())
                    .isEqualTo(last.getJsonObject("report").getLong("chunksIndexed").doubleValue());
            assertThat(fx.meters.get("funcpipe.jobs.running").gauge().value()).isZero();
            assertThat(fx.meters.get("funcpipe.jobs.embed.permits").gauge().value()).isZero();

            await(fx.undeploy());
            assertThat(fx.meters.find("funcpipe.jobs.running").gauge()).as("gauges leave with the supervisor").isNull();
        }

        @Test
        @DisplayName("a job that cannot bind its stages fails with the binder's reason and no report")
        void bindFailure() throws Exception {
            new IndexManifest("minilm", 384).write(fx.indexes.resolve("other"));
            fx.deploy(fx.options());
            JsonObject last = await(fx.client.follow(fx.submit(spec("other", "small.txt")), e -> { }));

            assertThat(state(last)).isEqualTo("FAILED");
            assertThat(last.getString("error")).startsWith("could not bind the job's stages: ")
                    .contains("was built with embedder 'minilm'");
            assertThat(last.getValue("report")).isNull();
            fx.assertEverythingReleased();
        }

        @Test
        @DisplayName("a job past timeout.perStream fails, and what it indexed is released")
        void perStreamTimeout() {
            fx.deploy(fx.options());
            fx.binder.valve("slow", Valve.closed());
            JsonObject spec = spec("slow", "sotu").put("policies", new JsonObject()
                    .put("timeout", new JsonObject().put("perStream", "50ms")));
            JsonObject last = await(fx.client.follow(fx.submit(spec), e -> { }));

            assertThat(state(last)).isEqualTo("FAILED");
            assertThat(last.getString("error")).contains("timeout.perStream");
            assertThat(last.getJsonObject("report")).isNotNull();
            fx.assertEverythingReleased();
        }
    }

    @Nested
    @DisplayName("submit refuses")
    class Refusals {

        @Test
        @DisplayName("an invalid spec with a 400 that lists every problem by field")
        void invalidSpec() {
            fx.deploy(fx.options());
            JsonObject spec = spec("docs", "small.txt", "/etc/passwd").put("weight", 0).put("colour", "red");

            ReplyException refused = refusal(fx.client.submit(spec));

            assertThat(refused.failureCode()).isEqualTo(400);
            assertThat(refused.getMessage()).startsWith("invalid job spec (3 problems):")
                    .contains("- colour: unknown field")
                    .contains("- sources[1]: /etc/passwd is outside the input roots [" + fx.inputs
                            + "]; put the file under an input root or add a root to inputRoots")
                    .contains("- weight must be >= 1, got 0");
            assertThat(await(fx.client.list())).isEmpty();
        }

        @Test
        @DisplayName("a path outside the input roots, whether it exists or not")
        void outsideInputRoots() throws Exception {
            Path outside = Files.writeString(tmp.resolve("outside.txt"), "not for you");
            fx.deploy(fx.options());

            ReplyException refused = refusal(fx.client.submit(spec("docs", outside.toString())));

            assertThat(refused.failureCode()).isEqualTo(400);
            assertThat(refused.getMessage()).contains("sources[0]: " + outside + " is outside the input roots");
        }

        @Test
        @DisplayName("a body that is not a JSON object")
        void notAnObject() {
            fx.deploy(fx.options());

            ReplyException refused = refusal(fx.vertx.eventBus().request(JobAddresses.SUBMIT, 42));

            assertThat(refused.failureCode()).isEqualTo(400);
            assertThat(refused.getMessage()).contains("must be a JSON object");
        }
    }

    @Nested
    @DisplayName("status, list and cancel")
    class StatusListCancel {

        @Test
        @DisplayName("list gives every job, newest first; status of an unknown id is a 404; no id is a 400")
        void listStatusNotFound() {
            fx.deploy(fx.options());
            String a = fx.submit(spec("a", "small.txt"));
            String b = fx.submit(spec("b", "small.txt"));

            assertThat(await(fx.client.list())).extracting(s -> s.getString("id")).containsExactly(b, a);
            assertThat(fx.status(a).getString("id")).isEqualTo(a);
            ReplyException missing = refusal(fx.client.status("no-such-job"));
            assertThat(missing.failureCode()).isEqualTo(404);
            assertThat(missing.getMessage()).contains("no-such-job");
            assertThat(refusal(fx.client.cancel("no-such-job")).failureCode()).isEqualTo(404);
            assertThat(refusal(fx.client.follow("no-such-job", e -> { })).failureCode()).isEqualTo(404);
            ReplyException noId = refusal(fx.vertx.eventBus().request(JobAddresses.STATUS, new JsonObject()));
            assertThat(noId.failureCode()).isEqualTo(400);
            assertThat(noId.getMessage()).contains("{\"id\": \"<job id>\"}");
        }

        @Test
        @DisplayName("cancel stops a running job, commits what it indexed and releases everything")
        void cancelRunning() {
            fx.deploy(fx.options());
            Valve valve = fx.binder.valve("sotu", Valve.closed());
            valve.allow(3);
            String id = fx.submit(spec("sotu", "sotu"));
            Future<JsonObject> end = fx.client.follow(id, e -> { });
            // Documents are written whole, so the chunks of a speech held at the valve are not indexed yet.
            fx.waitFor(id, "three embed batches embedded", s -> stage(s, "embed", "ok") >= 24);
            fx.waitUntil("the next embed call to be held at the valve", () -> valve.waiting() > 0);
            // Two embed calls run at a time and each first asks the index for stored vectors, so batches
            // reach the valve in either order: let one more call through at a time until the first
            // speech is written whole (the rest stays held at the valve).
            for (int i = 0; i < 40 && stage(fx.status(id), "index", "ok") == 0; i++) {
                long embedded = stage(fx.status(id), "embed", "ok");
                valve.allow(1);
                fx.waitFor(id, "the call let through embedded, or the first speech written",
                        s -> stage(s, "embed", "ok") > embedded || stage(s, "index", "ok") > 0);
            }
            fx.waitFor(id, "the first speech written", s -> stage(s, "index", "ok") > 0);

            JsonObject cancelled = await(fx.client.cancel(id));

            assertThat(state(cancelled)).isEqualTo("CANCELLED");
            assertThat(cancelled.getJsonObject("embed").getInteger("running")).isZero();
            JsonObject last = await(end);
            assertThat(state(last)).isEqualTo("CANCELLED");
            long indexed = last.getJsonObject("report").getLong("chunksIndexed");
            assertThat(fx.indexedChunks("sotu")).as("what was indexed is committed").isEqualTo(indexed);
            assertThat(valve.waiting()).as("the held call was cancelled").isZero();
            fx.assertEverythingReleased();
        }

        @Test
        @DisplayName("cancel ends a queued job at once, and jobs on one index run one after the other")
        void cancelQueued() {
            fx.deploy(fx.options());
            Valve valve = fx.binder.valve("shared", Valve.closed());
            String running = fx.submit(spec("shared", "sotu"));
            String queued = fx.submit(spec("shared", "small.txt"));
            String other = fx.submit(spec("shared", "docs.jsonl"));
            fx.waitFor(running, "running", s -> state(s).equals("RUNNING"));
            assertThat(state(fx.status(queued))).as("its index is busy").isEqualTo("QUEUED");

            JsonObject cancelled = await(fx.client.cancel(queued));
            assertThat(state(cancelled)).isEqualTo("CANCELLED");
            assertThat(cancelled.getValue("report")).isNull();
            assertThat(cancelled.getString("startedAt")).isNull();
            valve.open();

            assertThat(state(await(fx.client.follow(running, e -> { })))).isEqualTo("SUCCEEDED");
            assertThat(state(await(fx.client.follow(other, e -> { })))).isEqualTo("SUCCEEDED");
            fx.assertEverythingReleased();
        }
    }

    @Nested
    @DisplayName("undeploy")
    class Undeploy {

        @Test
        @DisplayName("suspends a running job at a committed checkpoint; the next supervisor on the same index root resumes it to the fault-free result")
        void suspendsAndResumes() throws Exception {
            SupervisorOptions options = fx.options().withIngest(io.funcpipe.rag.IngestOptions.defaults().withCommitEvery(8));
            fx.deploy(options);
            JsonObject reference = await(fx.client.follow(fx.submit(spec("reference", "sotu")), e -> { }));
            long expected = reference.getJsonObject("report").getLong("chunksIndexed");

            Valve valve = fx.binder.valve("sotu", Valve.closed());
            String id = fx.submit(spec("sotu", "sotu"));
            JsonObject before = null;
            for (int i = 0; i < 500 && before == null; i++) {
                valve.allow(1);
                JsonObject status = fx.waitFor(id, "an embed call held or a checkpoint past a document",
                        s -> s.getJsonObject("embed").getInteger("running") >= 1 || docsDone(s) >= 1);
                before = docsDone(status) >= 1 ? status : null;
            }
            assertThat(before).as("a checkpoint past the first document").isNotNull();

            await(fx.undeploy());
            fx.assertEverythingReleased();
            JsonObject entry = new JsonObject(Files.readString(fx.indexes.resolve(".funcpipe-jobs").resolve(id + ".json")));
            assertThat(entry.getString("state")).as("suspended, not ended").isEqualTo("RUNNING");
            long skipped = entry.getJsonObject("checkpoint").getLong("docs");
            assertThat(skipped).isBetween(1L, 3L);

            valve.open();
            fx.deploy(options);
            JsonObject last = await(fx.client.follow(id, e -> { }));
            assertThat(state(last)).isEqualTo("SUCCEEDED");
            assertThat(last.getInteger("resumes")).isEqualTo(1);
            JsonObject report = last.getJsonObject("report");
            assertThat(report.getLong("documentsRead")).isEqualTo(4);
            assertThat(report.getLong("chunksIndexed")).isEqualTo(expected);
            assertThat(report.getJsonObject("stages").getJsonObject("parse").getLong("in"))
                    .as("the resumed attempt read only the records after the checkpoint").isEqualTo(4 - skipped);
            assertThat(fx.indexedChunks("sotu")).as("no chunk missing or duplicated").isEqualTo(expected);
            fx.assertEverythingReleased();
        }

        @Test
        @DisplayName("keeps queued jobs and ended jobs across a restart")
        void ledgerSurvivesRestart() {
            fx.deploy(fx.options().withMaxRunning(1));
            String done = fx.submit(spec("small", "small.txt"));
            assertThat(state(await(fx.client.follow(done, e -> { })))).isEqualTo("SUCCEEDED");
            Valve valve = fx.binder.valve("sotu", Valve.closed());
            String running = fx.submit(spec("sotu", "sotu"));
            fx.waitFor(running, "an embed call held", s -> s.getJsonObject("embed").getInteger("running") >= 1);
            String queued = fx.submit(spec("queued", "small.txt"));
            assertThat(state(fx.status(queued))).isEqualTo("QUEUED");

            await(fx.undeploy());
            valve.open();
            fx.deploy(fx.options().withMaxRunning(1));

            assertThat(state(fx.status(done))).isEqualTo("SUCCEEDED");
            assertThat(fx.status(done).getJsonObject("report").getLong("chunksIndexed")).isEqualTo(1);
            JsonObject resumed = await(fx.client.follow(running, e -> { }));
            assertThat(state(resumed)).isEqualTo("SUCCEEDED");
            assertThat(resumed.getJsonObject("report").getLong("documentsRead")).isEqualTo(4);
            JsonObject ran = await(fx.client.follow(queued, e -> { }));
            assertThat(state(ran)).isEqualTo("SUCCEEDED");
            assertThat(ran.getInteger("resumes")).as("it had not started").isZero();
            fx.assertEverythingReleased();
        }
    }

    @Nested
    @DisplayName("restart with a changed config")
    class Recovery {

        @Test
        @DisplayName("a cancel recorded before the supervisor died sticks: the job ends CANCELLED after the restart instead of resuming")
        void cancelSticks() throws Exception {
            Path ledger = Files.createDirectories(fx.indexes.resolve(".funcpipe-jobs"));
            JsonObject spec = JobSpecJson.write(JobSpec.of(List.of(fx.inputs.resolve("small.txt").toRealPath().toString()), "small"));
            Files.writeString(ledger.resolve("c-1.json"), new JsonObject().put("id", "c-1").put("spec", spec)
                    .put("state", "RUNNING").put("submittedAt", "2026-12-01T10:00:00Z")
                    .put("startedAt", "2026-12-01T10:00:01Z").put("resumes", 0).put("cancelRequested", true).encode());
            Files.writeString(ledger.resolve("q-1.json"), new JsonObject().put("id", "q-1").put("spec", spec)
                    .put("state", "QUEUED").put("submittedAt", "2026-12-01T10:00:02Z").encode());

            fx.deploy(fx.options());

            assertThat(state(fx.status("c-1"))).isEqualTo("CANCELLED");
            JsonObject queued = await(fx.client.follow("q-1", e -> { }));
            assertThat(state(queued)).isEqualTo("SUCCEEDED");
            assertThat(queued.getJsonObject("report").getLong("chunksIndexed")).isEqualTo(1);
            fx.waitUntil("the ledger to say CANCELLED too", () -> {
                try {
                    return "CANCELLED".equals(new JsonObject(Files.readString(ledger.resolve("c-1.json"))).getString("state"));
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        }

        @Test
        @DisplayName("a job whose input no longer passes the checks ends FAILED after the restart, saying why")
        void specNoLongerValid() throws Exception {
            fx.deploy(fx.options());
            Valve valve = fx.binder.valve("sotu", Valve.closed());
            String id = fx.submit(spec("sotu", "sotu"));
            fx.waitFor(id, "an embed call held", s -> s.getJsonObject("embed").getInteger("running") >= 1);
            await(fx.undeploy());
            valve.open();

            Path elsewhere = Files.createDirectories(fx.indexes.resolveSibling("elsewhere"));
            fx.deploy(new SupervisorOptions(List.of(elsewhere), fx.indexes, 2, Duration.ofMillis(10),
                    Duration.ofSeconds(30), 4, "hash", io.funcpipe.rag.IngestOptions.defaults(), 1000,
                    Duration.ofMinutes(2), Duration.ofDays(7)));
            JsonObject status = fx.status(id);
            assertThat(state(status)).isEqualTo("FAILED");
            assertThat(status.getString("error")).contains("cannot go on after the supervisor restarted", "sources[0]");
            fx.assertEverythingReleased();
        }
    }

    private static long docsDone(JsonObject status) {
        JsonObject checkpoint = status.getJsonObject("checkpoint");
        return checkpoint == null ? 0 : checkpoint.getLong("docs");
    }

    @Nested
    @DisplayName("two jobs sharing one embed permit")
    class Fairness {

        @Test
        @DisplayName("a small job submitted behind a large one gets the next permit and finishes first")
        void smallJobIsNotStarved() {
            fx.deploy(fx.options().withEmbedCapacity(1).withMaxRunning(2));
            Valve large = fx.binder.valve("large", Valve.closed());
            String big = fx.submit(spec("large", "sotu"));
            fx.waitFor(big, "one embed call held and one waiting",
                    s -> s.getJsonObject("embed").getInteger("running") == 1 && s.getJsonObject("embed").getInteger("waiting") >= 1);
            String small = fx.submit(spec("small", "small.txt"));
            fx.waitFor(small, "its embed call waiting", s -> s.getJsonObject("embed").getInteger("waiting") == 1);
            List<String> finals = new CopyOnWriteArrayList<>();
            Future<JsonObject> bigEnd = fx.client.follow(big, e -> { }).onSuccess(e -> finals.add("large"));
            Future<JsonObject> smallEnd = fx.client.follow(small, e -> { }).onSuccess(e -> finals.add("small"));

            large.allow(1);
            JsonObject smallLast = await(smallEnd);

            assertThat(state(smallLast)).isEqualTo("SUCCEEDED");
            assertThat(smallLast.getJsonObject("report").getLong("chunksIndexed")).isEqualTo(1);
            assertThat(fx.binder.grants()).as("the small job's call went before the large job's backlog")
                    .containsExactly("large", "small", "large");
            assertThat(state(fx.status(big))).isEqualTo("RUNNING");

            large.open();
            JsonObject bigLast = await(bigEnd);
            assertThat(state(bigLast)).isEqualTo("SUCCEEDED");
            assertThat(bigLast.getJsonObject("report").getLong("documentsRead")).isEqualTo(4);
            assertThat(bigLast.getJsonObject("report").getLong("chunksFailed")).isZero();
            assertThat(finals).containsExactly("small", "large");
            assertThat(fx.binder.grants().stream().filter("small"::equals).count()).isEqualTo(1);
            fx.assertEverythingReleased();
        }
    }
}
