package io.funcpipe.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.rag.Embedder;

@DisplayName("ModelProbe: the model is up while it is open and answers a probe")
class ModelProbeTest {

    /** An embedder that fails while {@code failing} is set and counts its calls. */
    private static final class Switchable implements Embedder {
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();
        volatile int dimensions = 4;

        @Override
        public String name() {
            return "switchable";
        }

        @Override
        public int dimensions() {
            return dimensions;
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public AsyncPlan<List<float[]>> embed(List<String> texts) {
            calls.incrementAndGet();
            return failing.get() ? AsyncPlan.failed(ErrInfo.of(ErrCode.UNAVAILABLE, "server down"))
                    : AsyncPlan.of(texts.stream().map(t -> new float[4]).toList());
        }
    }

    private static void probed(ModelProbe probe) throws Exception {
        probe.probe().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("a model that answers with one vector of its dimensions is up; closing it makes it down")
    void upThenClosed() throws Exception {
        AtomicBoolean open = new AtomicBoolean(true);
        ModelProbe probe = new ModelProbe(HashingEmbedder.of(), open::get, Duration.ofHours(1));
        assertThat(probe.problem()).as("before the first probe").isPresent();
        probed(probe);
        assertThat(probe.problem()).isEmpty();
        open.set(false);
        assertThat(probe.problem()).hasValueSatisfying(why -> assertThat(why).contains("hash", "closed"));
    }

    @Test
    @DisplayName("a failing model is down with the error, and up again after a later probe once it answers")
    void failingThenRecovered() throws Exception {
        Switchable model = new Switchable();
        model.failing.set(true);
        ModelProbe probe = new ModelProbe(model, () -> true, Duration.ZERO);
        probed(probe);
        assertThat(probe.problem()).hasValueSatisfying(why -> assertThat(why).contains("switchable", "UNAVAILABLE", "server down"));

        model.failing.set(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (probe.problem().isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(probe.problem()).as("a check while down started a new probe, which succeeded").isEmpty();
    }

    @Test
    @DisplayName("vectors of the wrong length mean the model is down")
    void wrongShape() throws Exception {
        Switchable model = new Switchable();
        model.dimensions = 8;
        ModelProbe probe = new ModelProbe(model, () -> true, Duration.ofHours(1));
        probed(probe);
        assertThat(probe.problem()).hasValueSatisfying(why -> assertThat(why).contains("wrong shape", "8 dimensions"));
        assertThat(model.calls).as("no second probe before reprobeAfter").hasValue(1);
    }
}
