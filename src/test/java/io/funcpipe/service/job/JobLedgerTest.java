package io.funcpipe.service.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;

@DisplayName("JobLedger")
class JobLedgerTest {

    @TempDir
    Path root;

    @Test
    @DisplayName("keeps one entry per job: a write replaces the job's entry, delete forgets it")
    void writeReplaceDelete() {
        JobLedger ledger = new JobLedger(root);
        ledger.write(new JsonObject().put("id", "a-1").put("state", "QUEUED"));
        ledger.write(new JsonObject().put("id", "b-2").put("state", "QUEUED"));
        ledger.write(new JsonObject().put("id", "a-1").put("state", "RUNNING"));

        assertThat(ledger.readAll()).extracting(e -> e.getString("id") + "=" + e.getString("state"))
                .containsExactlyInAnyOrder("a-1=RUNNING", "b-2=QUEUED");
        ledger.delete("a-1");
        assertThat(ledger.readAll()).extracting(e -> e.getString("id")).containsExactly("b-2");
        assertThat(ledger.dir()).isEqualTo(root.resolve(".funcpipe-jobs"));
    }

    @Test
    @DisplayName("an unreadable entry is moved aside and named, never silently dropped; a torn temporary file is ignored")
    void unreadableEntries() throws Exception {
        JobLedger ledger = new JobLedger(root);
        ledger.write(new JsonObject().put("id", "good").put("state", "QUEUED"));
        Files.writeString(ledger.dir().resolve("bad.json"), "{\"id\": \"bad\", \"state\": ");
        Files.writeString(ledger.dir().resolve("torn.json.tmp"), "{\"id\": \"torn\"");

        assertThat(ledger.readAll()).extracting(e -> e.getString("id")).containsExactly("good");
        assertThat(ledger.dir().resolve("bad.json.unreadable")).exists();
        assertThat(ledger.dir().resolve("bad.json")).doesNotExist();
    }

    @Test
    @DisplayName("refuses an entry without a proper id")
    void badId() {
        JobLedger ledger = new JobLedger(root);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.write(new JsonObject().put("id", "../x")))
                .hasMessageContaining("id");
    }
}
