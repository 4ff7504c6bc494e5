package io.funcpipe.service.job;

import static io.funcpipe.service.job.SupervisorFixture.await;
import static io.funcpipe.service.job.SupervisorFixture.refusal;
import static io.funcpipe.service.job.SupervisorFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.service.client.JobPage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;

@ExtendWith(VertxExtension.class)
@DisplayName("SupervisorVerticle: funcpipe.jobs.list in pages")
class SupervisorListTest {

    private static final int JOBS = 25;

    @TempDir
    Path tmp;
    SupervisorFixture fx;
    List<String> submitted = new ArrayList<>();

    @BeforeEach
    void jobs(Vertx vertx) throws Exception {
        fx = new SupervisorFixture(vertx, tmp);
        fx.deploy(fx.options());
        for (int i = 0; i < JOBS; i++) {
            submitted.add(fx.submit(spec("notes-" + i, "small.txt")));
        }
        for (String id : submitted) {
            fx.waitFor(id, "the job ended", status -> JobState.valueOf(status.getString("state")).isFinal());
        }
    }

    @Test
    @DisplayName("pages of 10 return every job exactly once, newest first, with the total and the next offset")
    void everyJobOnce() {
        List<String> listed = new ArrayList<>();
        List<Integer> nextOffsets = new ArrayList<>();
        int offset = 0;
        for (int page = 0; page < 10; page++) {
            JobPage p = await(fx.client.list(offset, 10));
            assertThat(p.total()).isEqualTo(JOBS);
            assertThat(p.offset()).isEqualTo(offset);
            p.jobs().forEach(job -> listed.add(job.getString("id")));
            if (p.nextOffset().isEmpty()) {
                break;
            }
            nextOffsets.add(p.nextOffset().getAsInt());
            offset = p.nextOffset().getAsInt();
        }
        assertThat(nextOffsets).containsExactly(10, 20);
        assertThat(listed).containsExactlyElementsOf(submitted.reversed());
        assertThat(await(fx.client.list()).stream().map(job -> job.getString("id")).toList())
                .as("list() pages through all").containsExactlyElementsOf(submitted.reversed());
    }

    @Test
    @DisplayName("a request without paging gets the first 100; an offset past the end an empty last page")
    void defaultsAndPastTheEnd() {
        JsonObject reply = await(fx.vertx.eventBus().<JsonObject>request(JobAddresses.LIST, new JsonObject())).body();
        assertThat(reply.getJsonArray("jobs")).hasSize(JOBS);
        assertThat(reply.getInteger("total")).isEqualTo(JOBS);
        assertThat(reply.getValue("nextOffset")).isNull();

        JobPage past = await(fx.client.list(1000, 10));
        assertThat(past.jobs()).isEmpty();
        assertThat(past.nextOffset()).isEmpty();
    }

    @Test
    @DisplayName("a bad offset or limit is a 400 naming the field and the allowed range")
    void badPaging() {
        assertThat(refusal(fx.client.list(0, 0)).getMessage()).isEqualTo("limit must be a whole number from 1 to 1000, got 0");
        assertThat(refusal(fx.client.list(-1, 10)).getMessage()).contains("offset must be a whole number from 0");
        assertThat(refusal(fx.vertx.eventBus().request(JobAddresses.LIST, new JsonObject().put("limit", "ten")))
                .getMessage()).isEqualTo("limit must be a whole number from 1 to 1000, got \"ten\"");
        assertThat(refusal(fx.client.list(0, 1001)).failureCode()).isEqualTo(JobAddresses.BAD_REQUEST);
    }
}
