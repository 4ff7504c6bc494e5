package io.funcpipe.adapters.source;

import static io.funcpipe.adapters.source.Fixtures.errs;
import static io.funcpipe.adapters.source.Fixtures.oks;
import static io.funcpipe.adapters.source.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;

@DisplayName("JSONL source")
class JsonlSourceTest {

    private static final String FILE = Fixtures.path("mixed.jsonl");

    @Nested
    @DisplayName("a file with bad lines")
    class BadLines {

        private final List<Result<RawDoc>> items = read(Fixtures.open("mixed.jsonl", SourceOptions.defaults()).docs());

        @Test
        @DisplayName("gives a document per good line and an Err naming file:line per bad one, in order")
        void goodAndBadLinesInOrder() {
            assertThat(oks(items)).extracting(RawDoc::id).startsWith("j1", "j3").endsWith("j9").element(2).asString().startsWith(FILE + "#");
            assertThat(errs(items)).extracting(ErrInfo::location)
                    .containsExactly(FILE + ":2", FILE + ":4", FILE + ":6", FILE + ":8");
            assertThat(errs(items)).extracting(ErrInfo::code).containsOnly(ErrCode.MALFORMED_RECORD);
        }

        @Test
        @DisplayName("accounts for every non-blank line: ok + err = lines read")
        void everyLineAccountedFor() {
            assertThat(items).hasSize(8);
        }

        @Test
        @DisplayName("says what is wrong and how to fix it")
        void errorsExplain() {
            List<ErrInfo> errors = errs(items);
            assertThat(errors.get(0).message()).contains("mixed.jsonl:2", "not valid JSON");
            assertThat(errors.get(1).message()).contains("expected a JSON object", "ARRAY");
            assertThat(errors.get(2).message()).contains("no field 'text'");
            assertThat(errors.get(3).message()).contains("not valid JSON");
        }

        @Test
        @DisplayName("keeps other scalar fields as metadata, not arrays or objects")
        void scalarMetadataOnly() {
            RawDoc third = oks(items).get(1);
            assertThat(third.metadata()).containsEntry("draft", "false").containsEntry("source", FILE)
                    .doesNotContainKeys("tags", "nested", "id", "text");
            assertThat(oks(items).get(0).metadata()).containsEntry("lang", "en").containsEntry("score", "3");
        }
    }

    @Nested
    @DisplayName("options and decoding")
    class Options {

        @Test
        @DisplayName("reads the configured id and text fields")
        void configuredFields(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("f.jsonl");
            Files.writeString(file, "{\"uid\":7,\"content\":\"hi\",\"id\":\"ignored\"}\n");
            SourceOptions options = SourceOptions.defaults()
                    .withJsonl(FieldMapping.defaults().withIdField("uid").withTextField("content"));
            RawDoc doc = oks(read(Sources.open(List.of(file.toString()), options, null).docs())).get(0);
            assertThat(doc.id()).isEqualTo("7");
            assertThat(doc.text()).isEqualTo("hi");
            assertThat(doc.metadata()).containsEntry("id", "ignored");
        }

        @Test
        @DisplayName("replaces invalid UTF-8 and counts it per record and in the counters")
        void invalidUtf8Counted(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("bad.jsonl");
            byte[] line = "{\"text\":\"a\u0001b\"}\n".replace('\u0001', '#').getBytes(StandardCharsets.UTF_8);
            line[10] = (byte) 0xFF;
            Files.write(file, line);
            SourceSet source = Sources.open(List.of(file.toString()), SourceOptions.defaults(), null);
            RawDoc doc = oks(read(source.docs())).get(0);
            assertThat(doc.text()).isEqualTo("a\uFFFDb");
            assertThat(doc.replacedChars()).isEqualTo(1);
            assertThat(doc.bytes()).isEqualTo(line.length);
            assertThat(source.counters().replacedChars()).isEqualTo(1);
        }

        @Test
        @DisplayName("turns a line over the size limit into an Err and reads the next line")
        void overlongLine(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("long.jsonl");
            Files.writeString(file, "{\"text\":\"" + "x".repeat(5000) + "\"}\n{\"text\":\"short\"}\n");
            SourceOptions options = SourceOptions.defaults().withMaxRecordBytes(1000);
            List<Result<RawDoc>> items = read(Sources.open(List.of(file.toString()), options, null).docs());
            assertThat(errs(items)).singleElement().satisfies(e -> {
                assertThat(e.location()).endsWith("long.jsonl:1");
                assertThat(e.message()).contains("longer than the limit");
            });
            assertThat(oks(items)).extracting(RawDoc::text).containsExactly("short");
        }
    }
}
