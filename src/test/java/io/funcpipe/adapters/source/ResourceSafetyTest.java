package io.funcpipe.adapters.source;

import static io.funcpipe.adapters.source.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;

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
        @DisplayName("a read that fails mid-file ends the file with an IO_ERROR item and closes it")
        void readFailure() {
            SourceCounters counters = new SourceCounters();
            AtomicLong closes = new AtomicLong();
            InputStream failing = new SequenceInputStream(
                    new ByteArrayInputStream("{\"text\":\"one\"}\n{\"text\":\"two\"}\n".getBytes(StandardCharsets.UTF_8)),
                    new InputStream() {
                        @Override
                        public int read() throws IOException {
                            throw new IOException("disk went away");
                        }
                    }) {
                @Override
                public void close() throws IOException {
                    closes.incrementAndGet();
                    super.close();
                }
            };
            Origin origin = new Origin("f.jsonl", "f.jsonl");
            List<Result<RawDoc>> items = read(RecordCursor.stream(
                    () -> new JsonlCursor(failing, origin, SourceOptions.defaults(), counters)));
            assertThat(items).hasSize(3);
            assertThat(Fixtures.oks(items)).extracting(RawDoc::text).containsExactly("one", "two");
            assertThat(Fixtures.errs(items)).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.IO_ERROR);
                assertThat(e.message()).contains("f.jsonl", "disk went away", "rest of this input is skipped");
            });
            assertThat(closes).hasValue(1);
        }

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
