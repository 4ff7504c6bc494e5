package io.funcpipe.adapters.source;

import static io.funcpipe.adapters.source.Fixtures.errs;
import static io.funcpipe.adapters.source.Fixtures.oks;
import static io.funcpipe.adapters.source.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

@DisplayName("record, metadata and total byte limits")
class RecordLimitTest {

    @TempDir
    Path tmp;

    private List<Result<RawDoc>> readAll(Path file, SourceOptions options) {
        return read(Sources.open(List.of(file.toString()), options, null).docs());
    }

    @Nested
    @DisplayName("a CSV record")
    class Csv {

        @Test
        @DisplayName("longer than maxRecordBytes (an unterminated quote) ends the file with TOO_LARGE naming file:line and the limit")
        void unterminatedQuote() throws IOException {
            Path csv = Files.writeString(tmp.resolve("q.csv"), "id,text\nr1,fine\nr2,\"never closed\n"
                    + "more text\n".repeat(2_000));
            List<Result<RawDoc>> items = readAll(csv, SourceOptions.defaults().withMaxRecordBytes(4096));

            assertThat(oks(items)).as("%s", items).extracting(RawDoc::id).containsExactly("r1");
            assertThat(errs(items)).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.TOO_LARGE);
                assertThat(e.location()).isEqualTo(csv + ":3");
                assertThat(e.message()).startsWith(csv + ":3: the CSV record from this line on is longer than the "
                        + "limit of 4096 bytes for one record (maxRecordBytes; limits.recordBytes in the service)");
            });
        }

        @Test
        @DisplayName("within the limit reads as before")
        void withinLimit() throws IOException {
            Path csv = Files.writeString(tmp.resolve("ok.csv"), "id,text\nr1,\"a quoted\nfield\"\nr2,b\n");
            assertThat(oks(readAll(csv, SourceOptions.defaults().withMaxRecordBytes(4096)))).extracting(RawDoc::id)
                    .containsExactly("r1", "r2");
        }
    }

    @Nested
    @DisplayName("metadata")
    class Metadata {

        @Test
        @DisplayName("over maxMetadataBytes makes the record a TOO_LARGE item naming the limit; the next record is read")
        void tooMuchMetadata() throws IOException {
            Path jsonl = Files.writeString(tmp.resolve("m.jsonl"),
                    "{\"id\":\"a\",\"text\":\"t\",\"tag\":\"" + "x".repeat(500) + "\"}\n{\"id\":\"b\",\"text\":\"t\"}\n");
            List<Result<RawDoc>> items = readAll(jsonl, SourceOptions.defaults().withMaxMetadataBytes(256));

            assertThat(oks(items)).extracting(RawDoc::id).containsExactly("b");
            ErrInfo e = errs(items).getFirst();
            assertThat(e.code()).isEqualTo(ErrCode.TOO_LARGE);
            assertThat(e.message()).contains(jsonl + ":1: the record's metadata is", "more than the limit of 256 bytes "
                    + "per record (limits.metadataBytes; every chunk carries a copy until it is indexed, the index stores it once per document)");
        }
    }

    @Nested
    @DisplayName("the inputs of one run")
    class Total {

        @Test
        @DisplayName("past maxTotalBytes end with one TOO_LARGE item naming the limit; nothing after it is read")
        void jobBytes() throws IOException {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 2_000; i++) {
                lines.append("{\"id\":\"r").append(i).append("\",\"text\":\"").append("y".repeat(100)).append("\"}\n");
            }
            Path jsonl = Files.writeString(tmp.resolve("t.jsonl"), lines);
            List<Result<RawDoc>> items = readAll(jsonl, SourceOptions.defaults().withMaxTotalBytes(100_000));

            assertThat(errs(items)).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.TOO_LARGE);
                assertThat(e.message()).startsWith("the inputs of this run are larger than the limit of 100000 bytes "
                        + "per job (limits.jobBytes)");
            });
            assertThat(items.getLast().isOk()).isFalse();
            assertThat(items.size()).isLessThan(2_000);
        }
    }
}
