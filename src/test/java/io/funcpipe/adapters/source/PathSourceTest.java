package io.funcpipe.adapters.source;

import static io.funcpipe.adapters.source.Fixtures.errs;
import static io.funcpipe.adapters.source.Fixtures.oks;
import static io.funcpipe.adapters.source.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

@DisplayName("file and directory sources")
class PathSourceTest {

    @Nested
    @DisplayName("text and Markdown files")
    class TextFiles {

        @Test
        @DisplayName("give one document per file, id = the file name, text as read")
        void oneDocumentPerFile() {
            RawDoc doc = oks(read(Fixtures.open("notes.md", SourceOptions.defaults()).docs())).get(0);
            assertThat(doc.id()).isEqualTo(Fixtures.path("notes.md"));
            assertThat(doc.location()).isEqualTo(Fixtures.path("notes.md"));
            assertThat(doc.text()).startsWith("# Notes\n\nThe  first");
            assertThat(doc.bytes()).isEqualTo(87);
        }

        @Test
        @DisplayName("replace invalid UTF-8 with U+FFFD and count each replacement")
        void invalidUtf8IsReplacedAndCounted() {
            SourceSet source = Fixtures.open("invalid-utf8.txt", SourceOptions.defaults());
            RawDoc doc = oks(read(source.docs())).get(0);
            assertThat(doc.text()).startsWith("café ok, bad: \uFFFD then \uFFFD then ").endsWith(" end €");
            assertThat(doc.replacedChars()).isEqualTo(4);
            assertThat(source.counters().replacedChars()).isEqualTo(4);
        }

        @Test
        @DisplayName("read an empty file as an empty document (the cleaner reports it)")
        void emptyFile() {
            RawDoc doc = oks(read(Fixtures.open("empty.txt", SourceOptions.defaults()).docs())).get(0);
            assertThat(doc.text()).isEmpty();
            assertThat(doc.bytes()).isZero();
        }

        @Test
        @DisplayName("refuse a document over the size limit with an Err, not an out-of-memory failure")
        void overLimit() {
            List<Result<RawDoc>> items = read(Fixtures.open("notes.md", SourceOptions.defaults().withMaxRecordBytes(10)).docs());
            assertThat(errs(items)).singleElement().satisfies(e -> assertThat(e.message()).contains("larger than the limit"));
        }
    }

    @Nested
    @DisplayName("a file named on its own")
    class NamedFile {

        @Test
        @DisplayName("with an unknown extension in auto mode is read by its content: text as text")
        void unknownExtensionTextIsText() {
            List<RawDoc> docs = oks(read(Fixtures.open("unknown.dat", SourceOptions.defaults()).docs()));
            assertThat(docs).extracting(RawDoc::text).containsExactly("some data\n");
        }

        @Test
        @DisplayName("whose content no reader reads is, in auto mode, an Err that says how to fix it")
        void unreadableContentIsErr() {
            List<Result<RawDoc>> items = read(Fixtures.open("tree/c/notes.bin", SourceOptions.defaults()).docs());
            assertThat(errs(items)).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.INVALID_INPUT);
                assertThat(e.message()).contains("notes.bin", "application/octet-stream", "format option");
            });
        }

        @Test
        @DisplayName("is read in the format the options name, whatever its extension")
        void explicitFormatWins() {
            List<RawDoc> docs = oks(read(Fixtures.open("unknown.dat", SourceOptions.defaults().withFormat(Format.TEXT)).docs()));
            assertThat(docs).extracting(RawDoc::text).containsExactly("some data\n");
        }

        @Test
        @DisplayName("that does not exist is an IO_ERROR naming it")
        void missingFile() {
            List<Result<RawDoc>> items = read(Fixtures.open("no-such-file.txt", SourceOptions.defaults()).docs());
            assertThat(errs(items)).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.IO_ERROR);
                assertThat(e.message()).contains("no-such-file.txt");
            });
        }
    }

    @Nested
    @DisplayName("a directory tree")
    class Tree {

        @Test
        @DisplayName("is walked recursively in name order, each file in its format, ids relative to the root")
        void walkedInNameOrder() {
            SourceSet source = Fixtures.open("tree", SourceOptions.defaults());
            List<Result<RawDoc>> items = read(source.docs());
            assertThat(errs(items)).isEmpty();
            assertThat(oks(items)).extracting(RawDoc::id)
                    .containsExactly("d1", "d2", "a/doc.txt", "b.md", "c/readme.markdown");
            assertThat(oks(items).get(0).location()).isEqualTo(Fixtures.DIR.resolve("tree/a/data.jsonl") + ":1");
        }

        @Test
        @DisplayName("skips, counts and lists the files whose extension and content name no format")
        void unknownExtensionsAreCounted() {
            SourceSet source = Fixtures.open("tree", SourceOptions.defaults());
            read(source.docs());
            assertThat(source.counters().skippedFiles()).isEqualTo(2);
            assertThat(source.counters().skipped()).extracting(SkippedFile::path, SkippedFile::type).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(Fixtures.DIR.resolve("tree/c/notes.bin").toString(), "application/octet-stream"),
                    org.assertj.core.groups.Tuple.tuple(Fixtures.DIR.resolve("tree/c/skip.png").toString(), "image/png"));
        }

        @Test
        @DisplayName("keeps the files the include globs match and the exclude globs do not")
        void globs() {
            SourceOptions options = SourceOptions.defaults().withInclude(List.of("**/*.md", "**/*.markdown", "**/*.txt"))
                    .withExclude(List.of("c/**"));
            List<RawDoc> docs = oks(read(Fixtures.open("tree", options).docs()));
            assertThat(docs).extracting(RawDoc::id).containsExactly("a/doc.txt", "b.md");
        }

        @Test
        @DisplayName("reports its total size, and the bytes-read counter reaches it")
        void totalAndReadBytes() throws IOException {
            SourceSet source = Fixtures.open("tree", SourceOptions.defaults());
            long expected = 0;
            for (String file : List.of("a/data.jsonl", "a/doc.txt", "b.md", "c/readme.markdown")) {
                expected += Files.size(Fixtures.DIR.resolve("tree").resolve(file));
            }
            assertThat(source.totalBytes()).isEqualTo(expected);
            read(source.docs());
            assertThat(source.counters().bytesRead()).isEqualTo(expected);
            assertThat(source.counters().skippedFiles()).isEqualTo(2);
        }

        @Test
        @DisplayName("gives two independent runs when opened twice")
        void replayable() {
            SourceSet source = Fixtures.open("tree", SourceOptions.defaults());
            assertThat(read(source.docs())).isEqualTo(read(source.docs()));
        }
    }

    @Nested
    @DisplayName("the Sources factory")
    class Factory {

        @Test
        @DisplayName("reads several inputs in the order given and accounts for every record")
        void severalInputs() {
            SourceSet source = Sources.open(List.of(Fixtures.path("notes.md"), Fixtures.path("mixed.jsonl")),
                    SourceOptions.defaults(), null);
            List<Result<RawDoc>> items = read(source.docs());
            assertThat(items).hasSize(1 + 8);
            assertThat(oks(items).get(0).id()).isEqualTo(Fixtures.path("notes.md"));
            assertThat(errs(items)).extracting(ErrInfo::stage).containsOnly("parse");
        }

        @Test
        @DisplayName("refuses a URL without a Vert.x instance, and no input at all")
        void refusesBadArguments() {
            assertThatThrownBy(() -> Sources.open(List.of("http://127.0.0.1:1/x.jsonl"), SourceOptions.defaults(), null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Vert.x");
            assertThatThrownBy(() -> Sources.open(List.of(), SourceOptions.defaults(), null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no input");
        }

        @Test
        @DisplayName("parses the format option and rejects an unknown one with the choices")
        void formatOption() {
            assertThat(Format.parse("JSONL")).isEqualTo(Format.JSONL);
            assertThatThrownBy(() -> Format.parse("xml")).hasMessageContaining("auto, csv, jsonl, text, document");
        }
    }

    @Nested
    @DisplayName("confined to input roots")
    class Roots {

        @TempDir
        Path tmp;

        @Test
        @DisplayName("a link inside a root that leads outside it is an Err and is not read; the rest is read")
        void linkLeadingOutsideIsRefused() throws IOException {
            Path root = Files.createDirectories(tmp.resolve("root"));
            Path outside = Files.writeString(tmp.resolve("secret.txt"), "do not read me");
            Files.writeString(root.resolve("a.txt"), "inside");
            Files.createSymbolicLink(root.resolve("b.txt"), outside);
            Files.writeString(root.resolve("c.txt"), "also inside");
            Files.createSymbolicLink(root.resolve("d.txt"), root.resolve("c.txt"));
            SourceSet source = Sources.open(List.of(root.toString()), SourceOptions.defaults().withRoots(List.of(root)), null);

            List<Result<RawDoc>> items = read(source.docs());

            assertThat(oks(items)).extracting(RawDoc::text).containsExactly("inside", "also inside", "also inside");
            assertThat(errs(items)).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.INVALID_INPUT);
                assertThat(e.stage()).isEqualTo("parse");
                assertThat(e.message()).contains("b.txt", "outside the input roots");
            });
            assertThat(items.toString()).doesNotContain("do not read me");
            assertThat(source.totalBytes()).as("a refused file is not counted in the total")
                    .isEqualTo("inside".length() + 2L * "also inside".length());
            assertThat(source.counters().openHandles()).isZero();
        }

        @Test
        @DisplayName("without roots, files are read wherever they are")
        void noRootsMeansAnywhere() throws IOException {
            Path outside = Files.writeString(tmp.resolve("x.txt"), "anywhere");
            Path root = Files.createDirectories(tmp.resolve("root"));
            Files.createSymbolicLink(root.resolve("x.txt"), outside);

            List<Result<RawDoc>> items = read(Sources.open(List.of(root.toString()), SourceOptions.defaults(), null).docs());

            assertThat(oks(items)).extracting(RawDoc::text).containsExactly("anywhere");
        }
    }
}
