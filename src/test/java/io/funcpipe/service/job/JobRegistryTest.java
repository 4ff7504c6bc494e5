package io.funcpipe.service.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JobRegistry")
class JobRegistryTest {

    private static Job job(String id, String index) {
        return new Job(id, JobSpec.of(List.of("/data/a.txt"), index), new io.vertx.core.json.JsonObject(), Instant.now());
    }

    @Test
    @DisplayName("starts jobs in submission order up to maxRunning, one per index")
    void startsInOrderOnePerIndex() {
        JobRegistry jobs = new JobRegistry(2, 10);
        Job a = job("a", "x");
        Job b = job("b", "x");
        Job c = job("c", "y");
        Job d = job("d", "z");
        List.of(a, b, c, d).forEach(jobs::add);

        assertThat(jobs.startable()).containsExactly(a, c);
        assertThat(jobs.queued()).containsExactly(b, d);
        assertThat(jobs.startable()).isEmpty();

        jobs.finished(a);
        assertThat(jobs.startable()).as("b's index is free again and b came first").containsExactly(b);
        jobs.finished(c);
        assertThat(jobs.startable()).containsExactly(d);
        assertThat(jobs.activeCount()).isEqualTo(2);
        assertThat(jobs.all()).containsExactly(a, b, c, d);
    }

    @Test
    @DisplayName("forgets the oldest ended job beyond the retention, never an active or queued one")
    void retention() {
        JobRegistry jobs = new JobRegistry(1, 1);
        Job a = job("a", "x");
        Job b = job("b", "x");
        Job c = job("c", "x");
        List.of(a, b, c).forEach(jobs::add);
        jobs.startable();
        jobs.dequeue(c);
        jobs.finished(a);

        assertThat(jobs.get("c")).as("the oldest ended job is forgotten").isEmpty();
        assertThat(jobs.get("a")).contains(a);
        assertThat(jobs.get("b")).contains(b);
        assertThatThrownBy(() -> jobs.finished(a)).hasMessageContaining("not active");
        assertThatThrownBy(() -> jobs.add(job("b", "y"))).hasMessageContaining("exists already");
    }
}
