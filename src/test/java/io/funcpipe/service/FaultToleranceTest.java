package io.funcpipe.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;

/** The faults of {@link FaultScenarios}, each against real processes on 127.0.0.1, with what must hold after each. */
@DisplayName("faults: jobs survive the loss of a node")
class FaultToleranceTest {

    private static final int FILES = 240;

    @TempDir
    Path dir;

    private FaultScenarios faults;

    @BeforeEach
    void setUp() throws Exception {
        faults = new FaultScenarios(dir, FILES);
    }

    @AfterEach
    void tearDown() throws Exception {
        faults.close();
    }

    @Test
    @DisplayName("kill -9 of the supervisor/index node mid-job, then a restart on the same folder: the job resumes to the fault-free chunk count, a queued job runs, and the submit that followed it prints the final report")
    void supervisorKilled() throws Exception {
        List<FaultScenarios.Outcome> outcomes = faults.supervisorKilled();
        FaultScenarios.Outcome job = outcomes.get(0);
        assertSucceededWithEverything(job);
        assertThat(job.end().getInteger("resumes")).as("resumes; the node's log:%n%s", job.log()).isEqualTo(1);
        assertThat(outcomes.get(1).state()).as("the queued job").isEqualTo("SUCCEEDED");
        assertThat(outcomes.get(1).indexed()).isEqualTo(outcomes.get(1).expected());
        FaultScenarios.Outcome client = outcomes.get(2);
        assertThat(client.fault()).as("the submit client's exit; its stderr:%n%s", client.log()).contains("(exit 0)");
        assertThat(client.log()).contains("reconnected");
        assertSucceededWithEverything(client);
    }

    @Test
    @DisplayName("SIGTERM mid-job with a short grace, then a restart: the job resumes; no chunk missing or duplicated")
    void supervisorTerminated() throws Exception {
        FaultScenarios.Outcome job = faults.supervisorTerminated();
        assertThat(job.fault()).as("exit code after SIGTERM (143: the JVM's own, after its shutdown hook)")
                .containsAnyOf("(exit 0)", "(exit 143)");
        JsonObject entry = new JsonObject(job.log());
        assertThat(entry.getString("state")).as("left resumable in the ledger").isEqualTo("RUNNING");
        assertThat(entry.getJsonObject("checkpoint").getLong("docs")).isGreaterThanOrEqualTo(20);
        assertSucceededWithEverything(job);
        assertThat(job.end().getInteger("resumes")).isEqualTo(1);
    }

    @Test
    @DisplayName("kill -9 of an embed-only node mid-job: the job ends SUCCEEDED with the fault-free chunk count")
    void embedNodeKilled() throws Exception {
        assertSucceededWithEverything(faults.embedNodeKilled());
    }

    @Test
    @DisplayName("kill -9 of the node holding the job's source session: it is reopened on the other parse node; with no parse node left, the job FAILS with counts")
    void parseNodeKilled() throws Exception {
        List<FaultScenarios.Outcome> outcomes = faults.parseNodeKilled();
        FaultScenarios.Outcome reopened = outcomes.get(0);
        assertSucceededWithEverything(reopened);
        assertThat(reopened.log()).as("the session reopened on the other parse node")
                .contains("for job " + reopened.end().getString("id")).contains("from record");

        FaultScenarios.Outcome orphaned = outcomes.get(1);
        assertThat(orphaned.state()).as("no parse node left: %s", orphaned.end().encodePrettily()).isEqualTo("FAILED");
        assertThat(orphaned.end().getString("error")).contains("could not be reopened after").contains("records");
        assertThat(orphaned.end().getJsonObject("report").getLong("documentsRead")).as("how far it got")
                .isBetween(20L, (long) FILES - 1);
    }

    private static void assertSucceededWithEverything(FaultScenarios.Outcome outcome) {
        assertThat(outcome.state()).as("final status: %s", outcome.end().encodePrettily()).isEqualTo("SUCCEEDED");
        JsonObject report = outcome.end().getJsonObject("report");
        assertThat(report.getLong("documentsRead")).isEqualTo(FILES);
        assertThat(report.getLong("chunksIndexed")).isEqualTo(outcome.expected());
        assertThat(report.getLong("chunksFailed")).isZero();
        assertThat(outcome.indexed()).as("chunks in the index: no chunk missing or duplicated").isEqualTo(outcome.expected());
    }
}
