package io.funcpipe.adapters.source;

import static io.funcpipe.adapters.source.Fixtures.errs;
import static io.funcpipe.adapters.source.Fixtures.oks;
import static io.funcpipe.adapters.source.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;

@DisplayName("documents read with Tika (PDF, Word, HTML, ...)")
class DocumentSourceTest {

    @TempDir
    Path dir;

    private List<Result<RawDoc>> readAll(Path input, SourceOptions options) {
        return read(Sources.open(List.of(input.toString()), options, null).docs());
    }

    @Nested
    @DisplayName("a PDF")
    class Pdf {

        @Test
        @DisplayName("is one document per page with text, located and identified by page, with its metadata")
        void onePerPage() throws IOException {
            Path pdf = Documents.pdf(dir.resolve("report.pdf"), "Annual Report", "Ada Lovelace",
                    List.of(List.of("Revenue rose in the first quarter."), List.of(),
                            List.of("The engine computes Bernoulli numbers.", "It needs no clerk.")));
            List<Result<RawDoc>> items = readAll(pdf, SourceOptions.defaults());
            assertThat(errs(items)).isEmpty();
            List<RawDoc> docs = oks(items);
            assertThat(docs).extracting(RawDoc::id).containsExactly(pdf + "#page=1", pdf + "#page=3");
            assertThat(docs).extracting(RawDoc::location).containsExactly(pdf + "#page=1", pdf + "#page=3");
            assertThat(docs.get(0).text()).contains("Revenue rose in the first quarter.").doesNotContain("Bernoulli");
            assertThat(docs.get(1).text()).contains("Bernoulli numbers.", "It needs no clerk.");
            assertThat(docs.get(1).metadata()).containsAllEntriesOf(Map.of("title", "Annual Report", "author", "Ada Lovelace",
                    "created", "2024-03-05T10:00:00Z", "content_type", "application/pdf", "source", pdf.toString(),
                    "page", "3", "pages", "3"));
            assertThat(docs.stream().mapToLong(RawDoc::bytes).sum()).as("the pages' bytes add up to the file's")
                    .isEqualTo(Files.size(pdf));
        }

        @Test
        @DisplayName("without text on any page (a scan) is one EMPTY_DOCUMENT Err that says why")
        void noTextLayer() throws IOException {
            Path pdf = Documents.pdf(dir.resolve("scan.pdf"), "Scan", "Scanner", List.of(List.of(), List.of()));
            assertThat(errs(readAll(pdf, SourceOptions.defaults()))).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.EMPTY_DOCUMENT);
                assertThat(e.message()).contains("scan.pdf", "2 pages", "text recognition");
                assertThat(e.location()).isEqualTo(pdf.toString());
            });
        }
    }

    @Nested
    @DisplayName("a Word file and an HTML page")
    class WordAndHtml {

        @Test
        @DisplayName("a Word file is one document with its paragraphs, title and author")
        void word() throws IOException {
            Path docx = Documents.docx(dir.resolve("memo.docx"), "Memo", "Grace Hopper",
                    List.of("The bug was a moth.", "It was taped into the log book."));
            RawDoc doc = oks(readAll(docx, SourceOptions.defaults())).getFirst();
            assertThat(doc.id()).isEqualTo(docx.toString());
            assertThat(doc.text()).contains("The bug was a moth.\n\nIt was taped into the log book.");
            assertThat(doc.metadata()).containsEntry("title", "Memo").containsEntry("author", "Grace Hopper")
                    .containsEntry("content_type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                    .containsKey("created");
        }

        @Test
        @DisplayName("an HTML page keeps its title as metadata and its headings as Markdown headings; the head is not text")
        void html() throws IOException {
            Path html = Documents.html(dir.resolve("page.html"), "Field Guide",
                    "<h1>Birds</h1><p>Robins sing at dawn.</p><h2>Owls</h2><p>Owls hunt at night.</p>");
            RawDoc doc = oks(readAll(html, SourceOptions.defaults())).getFirst();
            assertThat(doc.text()).contains("# Birds\n\nRobins sing at dawn.\n\n## Owls\n\nOwls hunt at night.")
                    .doesNotContain("Field Guide");
            assertThat(doc.metadata()).containsEntry("title", "Field Guide").containsEntry("author", "Jane Roe")
                    .containsEntry("content_type", "text/html");
        }

        @Test
        @DisplayName("an Excel workbook is one document: each sheet's rows a line, cells tab-separated")
        void excel() throws IOException {
            Path xlsx = dir.resolve("book.xlsx");
            try (org.apache.poi.xssf.usermodel.XSSFWorkbook book = new org.apache.poi.xssf.usermodel.XSSFWorkbook();
                 java.io.OutputStream out = Files.newOutputStream(xlsx)) {
                for (String sheet : List.of("North", "South")) {
                    org.apache.poi.ss.usermodel.Row row = book.createSheet(sheet).createRow(0);
                    row.createCell(0).setCellValue(sheet + " region");
                    row.createCell(1).setCellValue("wheat");
                }
                book.getProperties().getCoreProperties().setTitle("Harvest");
                book.write(out);
            }
            List<RawDoc> docs = oks(readAll(xlsx, SourceOptions.defaults()));
            assertThat(docs).singleElement().satisfies(doc -> {
                assertThat(doc.id()).isEqualTo(xlsx.toString());
                assertThat(doc.text()).contains("North region\twheat", "South region\twheat");
                assertThat(doc.metadata()).containsEntry("title", "Harvest").doesNotContainKey("page");
            });
        }

        @Test
        @DisplayName("the document format reads any file through Tika, a text file too")
        void explicitDocumentFormat() throws IOException {
            Path txt = Files.writeString(dir.resolve("note.txt"), "Plain words.\n");
            RawDoc doc = oks(readAll(txt, SourceOptions.defaults().withFormat(Format.DOCUMENT))).getFirst();
            assertThat(doc.text()).contains("Plain words.");
            assertThat(doc.metadata()).containsEntry("content_type", "text/plain");
        }
    }

    @Nested
    @DisplayName("auto format in a folder")
    class Detection {

        @Test
        @DisplayName("tells the type by content: a PDF without extension is a PDF, text without one is text; "
                + "an image is skipped, counted and listed with its type")
        void byContent() throws IOException {
            Documents.pdf(dir.resolve("a-report"), "Hidden", "Nobody", List.of(List.of("A PDF without an extension.")));
            Files.writeString(dir.resolve("b-README"), "Read me first.\n");
            Files.write(dir.resolve("c-image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
            SourceSet source = Sources.open(List.of(dir.toString()), SourceOptions.defaults(), null);
            List<Result<RawDoc>> items = read(source.docs());
            assertThat(errs(items)).isEmpty();
            assertThat(oks(items)).extracting(RawDoc::id).containsExactly("a-report#page=1", "b-README");
            assertThat(oks(items).get(1).text()).isEqualTo("Read me first.\n");
            assertThat(source.counters().skippedFiles()).isEqualTo(1);
            assertThat(source.counters().skipped()).containsExactly(
                    new SkippedFile(dir.resolve("c-image.png").toString(), "image/png"));
            assertThat(source.counters().openHandles()).isZero();
        }

        @Test
        @DisplayName("an image named on its own is an INVALID_INPUT Err naming its type and the way out")
        void namedUnreadable() throws IOException {
            Path png = Files.write(dir.resolve("photo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0});
            assertThat(errs(readAll(png, SourceOptions.defaults()))).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.INVALID_INPUT);
                assertThat(e.message()).contains("photo.png", "image/png", "docs/formats.md", "format option");
            });
        }

        @Test
        @DisplayName("knows the document types docs/formats.md lists")
        void documentTypes() {
            for (String type : List.of("application/pdf", "text/html", "application/epub+zip", "message/rfc822",
                    "application/mbox", "application/rtf", "application/vnd.oasis.opendocument.text",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")) {
                assertThat(DocumentTypes.formatOf(MediaType.parse(type))).as(type).contains(Format.DOCUMENT);
            }
            assertThat(DocumentTypes.formatOf(MediaType.TEXT_PLAIN)).contains(Format.TEXT);
            assertThat(DocumentTypes.formatOf(MediaType.image("png"))).isEmpty();
            assertThat(DocumentTypes.formatOf(MediaType.OCTET_STREAM)).isEmpty();
        }
    }

    @Nested
    @DisplayName("a bad document is one Err with a clear code, and the run goes on")
    class BadDocuments {

        @Test
        @DisplayName("encrypted: ENCRYPTED")
        void encrypted() throws IOException {
            Path pdf = Documents.encryptedPdf(dir.resolve("secret.pdf"));
            assertThat(errs(readAll(pdf, SourceOptions.defaults()))).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.ENCRYPTED);
                assertThat(e.message()).contains("secret.pdf", "password");
                assertThat(e.stage()).isEqualTo("parse");
            });
        }

        @Test
        @DisplayName("corrupt: CORRUPT, with the parser's reason")
        void corrupt() throws IOException {
            Path pdf = Files.writeString(dir.resolve("broken.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage\n");
            assertThat(errs(readAll(pdf, SourceOptions.defaults()))).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.CORRUPT);
                assertThat(e.message()).contains("broken.pdf", "damaged");
                assertThat(e.details()).containsKey("exception");
            });
        }

        @Test
        @DisplayName("more text than the character limit: TOO_LARGE naming the limit")
        void overCharacterLimit() throws IOException {
            Path html = Documents.html(dir.resolve("long.html"), "Long", "<p>" + "word ".repeat(2000) + "</p>");
            assertThat(errs(readAll(html, SourceOptions.defaults().withMaxDocumentChars(1000)))).singleElement()
                    .satisfies(e -> {
                        assertThat(e.code()).isEqualTo(ErrCode.TOO_LARGE);
                        assertThat(e.message()).contains("long.html", "1000 characters");
                    });
        }

        @Test
        @DisplayName("a zip bomb (a 150 KiB Word file expanding to 64 MiB): TOO_LARGE, by the character limit "
                + "or, with a huge limit, by Tika's zip-bomb check")
        void zipBomb() throws IOException {
            Path bomb = Documents.zipBombDocx(dir.resolve("bomb.docx"), 64);
            assertThat(Files.size(bomb)).isLessThan(1 << 20);
            assertThat(errs(readAll(bomb, SourceOptions.defaults()))).singleElement()
                    .satisfies(e -> assertThat(e.code()).isEqualTo(ErrCode.TOO_LARGE));
            assertThat(errs(readAll(bomb, SourceOptions.defaults().withMaxDocumentChars(Integer.MAX_VALUE))))
                    .singleElement().satisfies(e -> {
                        assertThat(e.code()).isEqualTo(ErrCode.TOO_LARGE);
                        assertThat(e.message()).containsIgnoringCase("zip bomb");
                    });
        }

        @Test
        @DisplayName("in a folder, each bad file is its own Err and every good one is read")
        void runGoesOn() throws IOException {
            Documents.encryptedPdf(dir.resolve("a-secret.pdf"));
            Files.writeString(dir.resolve("b-broken.pdf"), "%PDF-1.4\nnot really\n");
            Documents.html(dir.resolve("c-good.html"), "Good", "<p>Still read.</p>");
            Documents.zipBombDocx(dir.resolve("d-bomb.docx"), 16);
            Documents.docx(dir.resolve("e-good.docx"), "Also good", "Me", List.of("Read as well."));
            SourceSet source = Sources.open(List.of(dir.toString()), SourceOptions.defaults().withMaxDocumentChars(100_000),
                    null);
            List<Result<RawDoc>> items = read(source.docs());
            assertThat(errs(items)).extracting(ErrInfo::key, ErrInfo::code).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("a-secret.pdf", ErrCode.ENCRYPTED),
                    org.assertj.core.groups.Tuple.tuple("b-broken.pdf", ErrCode.CORRUPT),
                    org.assertj.core.groups.Tuple.tuple("d-bomb.docx", ErrCode.TOO_LARGE));
            assertThat(oks(items)).extracting(RawDoc::id).containsExactly("c-good.html", "e-good.docx");
            assertThat(source.counters().openHandles()).isZero();
        }
    }

    @Nested
    @DisplayName("the time limit")
    class TimeLimit {

        private List<Result<RawDoc>> readWith(Parser parser, Duration limit) throws IOException {
            Path file = Files.writeString(dir.resolve("slow.html"), "<p>x</p>");
            SourceOptions options = SourceOptions.defaults().withParseTimeout(limit);
            SourceCounters counters = new SourceCounters();
            return read(RecordCursor.stream(() -> new TikaCursor(file, new Origin(file.toString(), "slow.html"), options,
                    counters, parser)));
        }

        private void awaitIdleWorkers() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ParseWorkers.active() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(ParseWorkers.active()).as("parse workers still busy after the abandoned parse").isZero();
        }

        @Test
        @DisplayName("a parser that never ends (empty events, no text): PARSE_TIMEOUT, and its worker stops at its next event")
        void endlessOutput() throws Exception {
            Parser endless = parser((handler, started) -> {
                started.countDown();
                char[] none = new char[0];
                while (true) {
                    handler.characters(none, 0, 0);
                }
            });
            List<Result<RawDoc>> items = readWith(endless, Duration.ofMillis(300));
            assertThat(errs(items)).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrCode.PARSE_TIMEOUT);
                assertThat(e.message()).contains("slow.html", "time limit");
            });
            awaitIdleWorkers();
        }

        @Test
        @DisplayName("a parser that blocks: PARSE_TIMEOUT, and its worker is interrupted")
        void blocked() throws Exception {
            CountDownLatch never = new CountDownLatch(1);
            Parser blocking = parser((handler, started) -> {
                started.countDown();
                never.await();
            });
            assertThat(errs(readWith(blocking, Duration.ofMillis(300)))).singleElement()
                    .satisfies(e -> assertThat(e.code()).isEqualTo(ErrCode.PARSE_TIMEOUT));
            awaitIdleWorkers();
        }
    }

    @FunctionalInterface
    private interface Body {
        void run(ContentHandler handler, CountDownLatch started) throws Exception;
    }

    private static Parser parser(Body body) {
        return new Parser() {
            @Override
            public Set<MediaType> getSupportedTypes(ParseContext context) {
                return Set.of(MediaType.text("html"));
            }

            @Override
            public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context)
                    throws SAXException, IOException {
                try {
                    body.run(handler, new CountDownLatch(1));
                } catch (SAXException | IOException e) {
                    throw e;
                } catch (InterruptedException e) {
                    throw new IOException("interrupted", e);
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        };
    }
}
