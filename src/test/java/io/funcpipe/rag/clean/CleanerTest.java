package io.funcpipe.rag.clean;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.CleanDoc;
import io.funcpipe.rag.RawDoc;

@DisplayName("Cleaner")
class CleanerTest {

    private static RawDoc doc(String text) {
        return new RawDoc("doc-1", "data/in.csv:7", text, Map.of("lang", "en"), text.length(), 0);
    }

    private static String cleaned(String text) {
        Result<CleanDoc> result = Cleaner.clean(doc(text));
        assertThat(result).isInstanceOf(Ok.class);
        return ((Ok<CleanDoc>) result).value().text();
    }

    private static ErrInfo error(String text) {
        Result<CleanDoc> result = Cleaner.clean(doc(text));
        assertThat(result).isInstanceOf(Err.class);
        return ((Err<CleanDoc>) result).error();
    }

    @Nested
    @DisplayName("normalises")
    class Normalises {

        @Test
        @DisplayName("Unicode to NFKC: ligatures, full-width letters, non-breaking spaces")
        void nfkc() {
            assertThat(cleaned("\uFB01ne \uFF21\uFF22\uFF23\u00A0x")).isEqualTo("fine ABC x");
        }

        @Test
        @DisplayName("by removing control characters but keeping line breaks and tabs")
        void controlCharacters() {
            assertThat(cleaned("a\u0007b\u001Bc\u009F\nd\te\uFEFF")).isEqualTo("abc\nd\te");
        }

        @Test
        @DisplayName("by collapsing runs of blanks and trimming lines")
        void collapsesWhitespace() {
            assertThat(cleaned("  The   first \t  line  \n   second\u2003line   ")).isEqualTo("The first\tline\nsecond line");
        }

        @Test
        @DisplayName("by keeping a paragraph break as exactly one blank line")
        void paragraphBreaks() {
            assertThat(cleaned("\n\nOne.\r\n\r\n\r\n  \t \nTwo.\rThree.\n\n")).isEqualTo("One.\n\nTwo.\nThree.");
        }

        @Test
        @DisplayName("keeping the id, location and metadata")
        void keepsIdentity() {
            CleanDoc clean = ((Ok<CleanDoc>) Cleaner.clean(doc("x"))).value();
            assertThat(clean.id()).isEqualTo("doc-1");
            assertThat(clean.location()).isEqualTo("data/in.csv:7");
            assertThat(clean.metadata()).containsEntry("lang", "en");
        }
    }

    @Nested
    @DisplayName("refuses")
    class Refuses {

        @Test
        @DisplayName("text with NUL characters as NOT_TEXT, with stage, key and location")
        void nul() {
            ErrInfo e = error("PK\u0003\u0004\u0000\u0000abc");
            assertThat(e.code()).isEqualTo(ErrCode.NOT_TEXT);
            assertThat(e.stage()).isEqualTo("clean");
            assertThat(e.key()).isEqualTo("doc-1");
            assertThat(e.location()).isEqualTo("data/in.csv:7");
            assertThat(e.message()).contains("data/in.csv:7", "NUL", "exclude glob");
        }

        @Test
        @DisplayName("text that is mostly control characters and invalid UTF-8 as NOT_TEXT")
        void mostlyNonText() {
            assertThat(error("ab\uFFFD\u0001\uFFFD\u0002\uFFFD\u0003\uFFFD\u0004\uFFFD\u0005cd").code()).isEqualTo(ErrCode.NOT_TEXT);
        }

        @Test
        @DisplayName("but keeps text with a few replaced characters (a Latin-1 file read as UTF-8)")
        void fewReplacementsAreText() {
            assertThat(cleaned("caf\uFFFD cr\uFFFDme br\uFFFDl\uFFFDe, and a long enough sentence around them."))
                    .startsWith("caf\uFFFD");
        }

        @Test
        @DisplayName("an empty or blank document as EMPTY_DOCUMENT")
        void empty() {
            assertThat(error("").code()).isEqualTo(ErrCode.EMPTY_DOCUMENT);
            ErrInfo blank = error(" \n\t\u0007\n \u200B ");
            assertThat(blank.code()).isEqualTo(ErrCode.EMPTY_DOCUMENT);
            assertThat(blank.stage()).isEqualTo("clean");
            assertThat(blank.message()).contains("doc-1", "no text left");
        }
    }

    @Nested
    @DisplayName("on the fixture files")
    class OnFixtures {

        private RawDoc fixture(String name) throws Exception {
            byte[] bytes = Files.readAllBytes(Path.of("src/test/resources/fixtures", name));
            return new RawDoc(name, name, new String(bytes, StandardCharsets.UTF_8), Map.of(), bytes.length, 0);
        }

        @Test
        @DisplayName("the binary file is NOT_TEXT, the empty file EMPTY_DOCUMENT, the Markdown file clean text")
        void fixtures() throws Exception {
            assertThat(Cleaner.clean(fixture("binary.txt"))).isInstanceOfSatisfying(Err.class,
                    e -> assertThat(e.error().code()).isEqualTo(ErrCode.NOT_TEXT));
            assertThat(Cleaner.clean(fixture("empty.txt"))).isInstanceOfSatisfying(Err.class,
                    e -> assertThat(e.error().code()).isEqualTo(ErrCode.EMPTY_DOCUMENT));
            assertThat(Cleaner.clean(fixture("notes.md"))).isInstanceOfSatisfying(Ok.class,
                    ok -> assertThat(((CleanDoc) ok.value()).text()).isEqualTo(
                            "# Notes\n\nThe first paragraph\twith a tab.\n\nThe second paragraph.\nIt has two lines."));
        }
    }
}
