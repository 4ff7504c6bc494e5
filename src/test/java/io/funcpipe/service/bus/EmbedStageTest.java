package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.await;
import static io.funcpipe.service.bus.BusTesting.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.core.ErrCode;
import io.funcpipe.service.bus.protocol.CommitIndex;
import io.funcpipe.service.bus.protocol.EmbedTexts;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.funcpipe.service.bus.protocol.StageFailure;
import io.funcpipe.service.bus.protocol.Vectors;
import io.vertx.core.Vertx;

@DisplayName("embed stage (the node's model over a local event bus)")
class EmbedStageTest {

    private Vertx vertx;
    private StageHost host;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.EMBED), 2, BusTesting.hashModel(), null)));
    }

    @AfterEach
    void stop() {
        await(host.close());
        assertThat(host.resources().allZero()).as(host.resources().toString()).isTrue();
        await(vertx.close());
    }

    @Test
    @DisplayName("answers one vector per text, in order, the model's own vectors, with its name and dimensions")
    void embedsInOrder() {
        List<String> texts = List.of("the state of the union", "fellow citizens", "", "日本語のテキスト");

        Vectors reply = (Vectors) request(vertx, StageAddress.EMBED, new EmbedTexts(texts));

        HashingEmbedder local = HashingEmbedder.of();
        assertThat(reply.embedder()).isEqualTo("hash");
        assertThat(reply.dimensions()).isEqualTo(HashingEmbedder.DEFAULT_DIMENSIONS);
        assertThat(reply.vectors()).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(reply.vectors().get(i)).containsExactly(local.vector(texts.get(i)));
        }
        assertThat(host.resources().embedCallsInFlight()).isZero();
        assertThat(host.resources().embedWorkers()).isEqualTo(local.parallelism());
    }

    @Test
    @DisplayName("an empty request is answered with the model's name and dimensions only")
    void describesTheModel() {
        Vectors reply = (Vectors) request(vertx, StageAddress.EMBED, new EmbedTexts(List.of()));
        assertThat(reply.embedder()).isEqualTo("hash");
        assertThat(reply.dimensions()).isEqualTo(384);
        assertThat(reply.vectors()).isEmpty();
    }

    @Test
    @DisplayName("a message of another stage is refused with INVALID_INPUT naming what the stage takes")
    void wrongMessage() {
        Object reply = request(vertx, StageAddress.EMBED, new CommitIndex(new IndexTarget("x", "hash", 384)));
        assertThat(reply).isInstanceOfSatisfying(StageFailure.class, f -> {
            assertThat(f.error().code()).isEqualTo(ErrCode.INVALID_INPUT);
            assertThat(f.error().message()).contains(StageAddress.EMBED, "takes EmbedTexts", "CommitIndex");
        });
    }

    @Test
    @DisplayName("closing the host releases the model's workers")
    void closeReleasesTheModel() {
        assertThat(host.resources().embedWorkers()).isPositive();
        await(host.close());
        assertThat(host.resources().embedWorkers()).isZero();
    }
}
