package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.await;
import static io.funcpipe.service.bus.BusTesting.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.service.bus.protocol.CommitIndex;
import io.funcpipe.service.bus.protocol.DocBatch;
import io.funcpipe.service.bus.protocol.EmbedTexts;
import io.funcpipe.service.bus.protocol.IndexAck;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.funcpipe.service.bus.protocol.NextDocs;
import io.funcpipe.service.bus.protocol.OpenSource;
import io.funcpipe.service.bus.protocol.SourceOpened;
import io.funcpipe.service.bus.protocol.Vectors;
import io.vertx.core.Vertx;

@DisplayName("stage host")
class StageHostTest {

    @TempDir
    Path tmp;

    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        await(vertx.close());
    }

    @Nested
    @DisplayName("close")
    class Close {

        @Test
        @DisplayName("leaves no session, file, index, embed call or model worker open, whatever was in use")
        void releasesEverything() throws Exception {
            StageHost host = await(StageHost.start(vertx, StageHostOptions.all(2, BusTesting.hashModel(), tmp.resolve("i"))));
            SourceOpened session = (SourceOpened) request(vertx, StageAddress.PARSE, new OpenSource("job-h",
                    List.of(BusTesting.bigJsonl(tmp, 1000).toString()), SourceOptions.defaults()));
            DocBatch batch = (DocBatch) request(vertx, session.session(), new NextDocs(1, 3));
            Vectors vectors = (Vectors) request(vertx, StageAddress.EMBED, new EmbedTexts(List.of("a", "b")));
            IndexAck committed = (IndexAck) request(vertx, StageAddress.INDEX,
                    new CommitIndex(new IndexTarget("h", vectors.embedder(), vectors.dimensions())));
            ResourceCounts before = host.resources();

            await(host.close());

            assertThat(batch.docs()).hasSize(3);
            assertThat(committed).isNotNull();
            assertThat(before).isEqualTo(new ResourceCounts(1, 1, 1, 0, 2));
            assertThat(host.resources()).isEqualTo(new ResourceCounts(0, 0, 0, 0, 0));
            assertThat(host.resources().allZero()).isTrue();
            assertThat(vertx.deploymentIDs()).isEmpty();
        }

        @Test
        @DisplayName("is idempotent")
        void idempotent() {
            StageHost host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.PARSE), 1, null, null)));
            assertThat(host.close()).isSameAs(host.close());
            await(host.close());
            assertThat(vertx.deploymentIDs()).isEmpty();
        }

        @Test
        @DisplayName("loads no model for a node that hosts neither clean nor embed")
        void noModelWithoutCleanOrEmbed() {
            StageHost host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.PARSE, BusStage.INDEX), 1,
                    null, tmp)));
            assertThat(host.resources().embedWorkers()).isZero();
            await(host.close());
        }
    }

    @Nested
    @DisplayName("options")
    class Options {

        @Test
        @DisplayName("clean and embed need a model, saying why")
        void cleanNeedsModel() {
            assertThatThrownBy(() -> StageHostOptions.of(Set.of(BusStage.CLEAN), 1, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenizer");
        }

        @Test
        @DisplayName("index needs a root folder")
        void indexNeedsRoot() {
            assertThatThrownBy(() -> StageHostOptions.of(Set.of(BusStage.INDEX), 1, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index root");
        }

        @Test
        @DisplayName("instances are at least one, per stage")
        void instancesPositive() {
            assertThatThrownBy(() -> new StageHostOptions(Map.of(BusStage.PARSE, 0), null, null,
                    StageHostOptions.DEFAULT_SESSION_IDLE_TIMEOUT, ParseRules.anywhere(), IndexLimits.defaults()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parse stage must be >= 1");
            assertThat(StageHostOptions.all(1, BusTesting.hashModel(), tmp).withInstances(BusStage.EMBED, 3)
                    .instances()).containsEntry(BusStage.EMBED, 3).containsEntry(BusStage.PARSE, 1);
        }
    }
}
