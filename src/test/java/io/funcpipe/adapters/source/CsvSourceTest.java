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

@DisplayName("CSV source")
class CsvSourceTest {

    @Nested
    @DisplayName("a well-formed file")
    class WellFormed {

        private final List<Result<RawDoc>> items = read(Fixtures.open("good.csv", SourceOptions.defaults()).docs());

        @Test
        @DisplayName("gives one document per record, multi-line quoted fields kept whole")
        void oneDocumentPerRecord() {
            assertThat(errs(items)).isEmpty();
            List<RawDoc> docs = oks(items);
            assertThat(docs).extracting(RawDoc::id).containsExactly("sotu-1790", "sotu-1862", "sotu-1941");
            assertThat(docs.get(1).text()).isEqualTo("Fellow-Citizens of the Senate and House of Representatives:\r\n\r\n"
                    + "Since your last annual assembling, another year of health and bountiful harvests has passed, \"and\" more.");
        }

        @Test
        @DisplayName("locates each record at the line it starts on")
        void locatesRecordsByStartLine() {
            assertThat(oks(items)).extracting(RawDoc::location)
                    .containsExactly(Fixtures.path("good.csv") + ":2", Fixtures.path("good.csv") + ":3",
                            Fixtures.path("good.csv") + ":6");
        }

        @Test
        @DisplayName("keeps the other columns as metadata")
        void otherColumnsAreMetadata() {
            assertThat(oks(items).get(2).metadata())
                    .containsEntry("title", "Four Freedoms").containsEntry("year", "1941")
                    .containsEntry("source", Fixtures.path("good.csv")).doesNotContainKeys("id", "text");
        }
    }

    @Nested
    @DisplayName("a broken file")
    class Broken {

        private final List<Result<RawDoc>> items = read(Fixtures.open("broken.csv", SourceOptions.defaults()).docs());

        @Test
        @DisplayName("reports each bad record as an Err naming file and line, and goes on")
        void badRecordsAreErrsAndReadingGoesOn() {
            assertThat(oks(items)).extracting(RawDoc::id).containsExactly("r1", "r3", "r5");
            List<ErrInfo> errors = errs(items);
            assertThat(errors).extracting(ErrInfo::code).containsOnly(ErrCode.MALFORMED_RECORD);
            assertThat(errors).extracting(ErrInfo::location).containsExactly(
                    Fixtures.path("broken.csv") + ":3", Fixtures.path("broken.csv") + ":5", Fixtures.path("broken.csv") + ":7");
            assertThat(errors.get(0).message()).contains("broken.csv:3", "5 fields", "header has 3");
            assertThat(errors).extracting(ErrInfo::stage).containsOnly("parse");
        }

        @Test
        @DisplayName("ends the file with an Err that says the parser cannot recover from an unterminated quote")
        void unterminatedQuoteStopsTheFileCleanly() {
            ErrInfo last = errs(items).get(errs(items).size() - 1);
            assertThat(last.message()).contains("cannot recover", "rest of this file is skipped", "double quote");
            assertThat(last.details()).containsEntry("unrecoverable", "true");
            assertThat(items.get(items.size() - 1)).isInstanceOf(io.funcpipe.core.Err.class);
        }

        @Test
        @DisplayName("accounts for every record before the unrecoverable one: ok + err = read")
        void everyRecordAccountedFor() {
            assertThat(items).hasSize(6);
        }
    }

    @Nested
    @DisplayName("field mapping")
    class Mapping {

        @Test
        @DisplayName("uses the configured id, text and metadata columns")
        void configuredColumns(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("custom.csv");
            Files.writeString(file, "key,body,author,junk\nk1,hello there,ann,x\n");
            SourceOptions options = SourceOptions.defaults().withCsv(FieldMapping.defaults()
                    .withIdField("key").withTextField("body").withMetadataFields(List.of("author")));
            RawDoc doc = oks(read(Sources.open(List.of(file.toString()), options, null).docs())).get(0);
            assertThat(doc.id()).isEqualTo("k1");
            assertThat(doc.text()).isEqualTo("hello there");
            assertThat(doc.metadata()).containsEntry("author", "ann").doesNotContainKey("junk");
        }

        @Test
        @DisplayName("ids a record by a hash of its content when there is no id column, so an inserted line re-keys no other")
        void idDefaultsToContentHash(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("noid.csv");
            Files.writeString(file, "text\nfirst\n\"second\nspans lines\"\nthird\n");
            List<RawDoc> docs = oks(read(Sources.open(List.of(file.toString()), SourceOptions.defaults(), null).docs()));
            assertThat(docs).extracting(RawDoc::id).allSatisfy(id -> assertThat(id).matches(
                    java.util.regex.Pattern.quote(file.toString()) + "#[0-9a-f]{16}")).doesNotHaveDuplicates();
            Files.writeString(file, "text\ninserted\nfirst\n\"second\nspans lines\"\nthird\n");
            List<RawDoc> after = oks(read(Sources.open(List.of(file.toString()), SourceOptions.defaults(), null).docs()));
            assertThat(after.subList(1, 4)).extracting(RawDoc::id)
                    .containsExactlyElementsOf(docs.stream().map(RawDoc::id).toList());
        }

        @Test
        @DisplayName("makes every record an Err naming the missing text column when the header lacks it")
        void missingTextColumn(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("notext.csv");
            Files.writeString(file, "id,body\n1,a\n2,b\n");
            List<Result<RawDoc>> items = read(Sources.open(List.of(file.toString()), SourceOptions.defaults(), null).docs());
            assertThat(errs(items)).hasSize(2).allSatisfy(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.MALFORMED_RECORD);
                assertThat(e.message()).contains("no column 'text'", "[id, body]");
            });
        }
    }
}
