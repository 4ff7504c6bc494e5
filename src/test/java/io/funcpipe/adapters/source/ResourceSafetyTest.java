package io.funcpipe.adapters.source;

import static io.funcpipe.adapters.source.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("sources own their files")
class ResourceSafetyTest {

    @TempDir
    static Path dir;
    static Path big;
    static Path bigCsv;

    @BeforeAll
    static void writeBigFiles() throws IOException {
        big = dir.resolve("big.jsonl");
        bigCsv = dir.resolve("big.csv");
        String text = "x".repeat(1000);
        try (Writer jsonl = Files.newBufferedWriter(big); Writer csv = Files.newBufferedWriter(bigCsv)) {
            csv.write("id,text\n");
            for (int i = 0; i < 4000; i++) {
                jsonl.write("{\"id\":\"" + i + "\",\"text\":\"" + text + "\"}\n");
                csv.write(i + ",\"" + text + "\"\n");
            }
        }
    }

    private static SourceSet source(Path file) {
        return Sources.open(List.of(file.toString()), SourceOptions.defaults(), null);
    }

    @Nested
    @DisplayName("on completion")
    class Completion {

        @Test
        @DisplayName("every file is closed, and the whole input was read")
        void closedAfterCompletion() throws IOException {
            SourceSet source = source(big);
            assertThat(read(source.docs())).hasSize(4000);
            assertThat(source.counters().openHandles()).isZero();
            assertThat(source.counters().bytesRead()).isEqualTo(Files.size(big));
        }

        @Test
        @DisplayName("a directory walk holds at most one file open at a time")
        void oneFileAtATime() {
            SourceSet source = Fixtures.open("tree", SourceOptions.defaults());
            AtomicLong maxOpen = new AtomicLong();
            read(source.docs().peek(r -> maxOpen.accumulateAndGet(source.counters().openHandles(), Math::max)));
            assertThat(maxOpen).hasValue(1);
            assertThat(source.counters().openHandles()).isZero();
        }
    }

    @Nested
    @DisplayName("on cancellation")
    class Cancellation {

        @Test
        @DisplayName("a JSONL file is closed, having read only the first block")
        void jsonlClosedAndLazy() throws IOException {
            SourceSet source = source(big);
            assertThat(read(source.docs().take(3))).hasSize(3);
            assertThat(source.counters().openHandles()).isZero();
            assertThat(source.counters().bytesRead()).isLessThanOrEqualTo(64 * 1024).isLessThan(Files.size(big));
        }

        @Test
        @DisplayName("a CSV file is closed, having read only a small part")
        void csvClosedAndLazy() throws IOException {
            SourceSet source = source(bigCsv);
            assertThat(read(source.docs().take(2))).hasSize(2);
            assertThat(source.counters().openHandles()).isZero();
            assertThat(source.counters().bytesRead()).isLessThan(Files.size(bigCsv) / 4);
        }

        @Test
        @DisplayName("a directory walk closes the file it was in")
        void walkClosed() {
            SourceSet source = Fixtures.open("tree", SourceOptions.defaults());
            assertThat(read(source.docs().take(1))).hasSize(1);
            assertThat(source.counters().openHandles()).isZero();
        }
    }

    @Nested
    @DisplayName("on failure")
    class Failure {

        @Test
        @DisplayName("a consumer that fails the stream still gets the file closed")
        void closedAfterDownstreamFailure() {
            SourceSet source = source(big);
            assertThatThrownBy(() -> source.docs().open()
                    .onItem().invoke(r -> {
                        throw new IllegalStateException("consumer broke");
                    })
                    .collect().asList().await().atMost(Duration.ofSeconds(30)))
                    .hasMessageContaining("consumer broke");
            assertThat(source.counters().openHandles()).isZero();
        }
    }
}
