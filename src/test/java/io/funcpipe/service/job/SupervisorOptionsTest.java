package io.funcpipe.service.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceConfigLoader;

@DisplayName("SupervisorOptions")
class SupervisorOptionsTest {

    @Test
    @DisplayName("are taken from the service's settings")
    void fromServiceConfig() {
        ServiceConfig config = ServiceConfigLoader.load(Optional.empty(), Map.of(
                "FUNCPIPE_INPUT_ROOTS", "/data/in,/data/more", "FUNCPIPE_INDEX_DIR", "/data/indexes",
                "FUNCPIPE_EMBEDDER_KIND", "hash", "FUNCPIPE_JOBS_MAX_RUNNING", "3", "FUNCPIPE_SHUTDOWN_GRACE", "7s",
                "FUNCPIPE_JOBS_PROGRESS_INTERVAL", "250ms", "FUNCPIPE_TRANSPORT_EMBED_BATCH", "16"));

        SupervisorOptions options = SupervisorOptions.from(config);

        assertThat(options.inputRoots()).containsExactly(Path.of("/data/in"), Path.of("/data/more"));
        assertThat(options.indexRoot()).isEqualTo(Path.of("/data/indexes"));
        assertThat(options.embedderKind()).isEqualTo("hash");
        assertThat(options.maxRunning()).isEqualTo(3);
        assertThat(options.shutdownGrace()).isEqualTo(Duration.ofSeconds(7));
        assertThat(options.progressInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(options.ingest().embedBatch()).isEqualTo(16);
        assertThat(options.ingest().docBatch()).isEqualTo(config.transport().docBatch());
        assertThat(options.embedCapacity()).isEqualTo(SupervisorOptions.DEFAULT_EMBED_CAPACITY);
    }

    @Test
    @DisplayName("name the option that is wrong")
    void checks() {
        SupervisorOptions ok = SupervisorOptions.of(List.of(Path.of("/data")), Path.of("/idx"), "minilm");
        assertThatThrownBy(() -> ok.withMaxRunning(0)).hasMessage("maxRunning must be >= 1, got 0");
        assertThatThrownBy(() -> ok.withEmbedCapacity(0)).hasMessage("embedCapacity must be >= 1, got 0");
        assertThatThrownBy(() -> ok.withProgressInterval(Duration.ZERO)).hasMessageStartingWith("progressInterval must be at least 1 ms");
        assertThatThrownBy(() -> ok.withShutdownGrace(Duration.ofSeconds(-1))).hasMessageStartingWith("shutdownGrace must be >= 0");
        assertThatThrownBy(() -> SupervisorOptions.of(List.of(), Path.of("/idx"), "bert"))
                .hasMessage("embedderKind: unknown embedder 'bert'; use one of minilm, minilm-q, bge-small-q, hash, openai");
    }
}
