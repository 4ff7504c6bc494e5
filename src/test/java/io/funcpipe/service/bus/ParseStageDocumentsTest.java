package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.await;
import static io.funcpipe.service.bus.BusTesting.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.source.Format;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.service.bus.protocol.DocBatch;
import io.funcpipe.service.bus.protocol.NextDocs;
import io.funcpipe.service.bus.protocol.OpenSource;
import io.funcpipe.service.bus.protocol.SourceOpened;
import io.vertx.core.Vertx;

/** The service's parse stage reads documents through the same {@code Sources.open} as ingest: PDFs by content. */
@DisplayName("parse stage over a folder of PDFs (format auto)")
class ParseStageDocumentsTest {

    /** PDFBox warns that it substitutes a font for Helvetica when writing; held so the level sticks. */
    private static final java.util.logging.Logger PDFBOX = quiet(java.util.logging.Logger.getLogger("org.apache.pdfbox"));

    private Vertx vertx;
    private StageHost host;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.PARSE), 2, null, null)));
    }

    @AfterEach
    void stop() {
        await(host.close());
        assertThat(host.resources().allZero()).as("resources after close: " + host.resources()).isTrue();
        await(vertx.close());
    }

    @Test
    @DisplayName("every page with text is a document located by page, with metadata; an encrypted PDF is an ENCRYPTED Err")
    void pdfFolder() throws IOException {
        pdf(dir.resolve("a.pdf"), "Alpha", null, "Alpha page one.", "Alpha page two.");
        pdf(dir.resolve("b.pdf"), "Beta", null, "Beta page one.", "Beta page two.");
        pdf(dir.resolve("c.pdf"), "Gamma", "user-pw", "Locked away.");
        SourceOptions options = SourceOptions.defaults().withFormat(Format.parse("auto")).withRoots(List.of(dir));
        SourceOpened session = (SourceOpened) request(vertx, StageAddress.PARSE,
                new OpenSource("job-pdf", List.of(dir.toString()), options));
        long totalBytes;
        try (Stream<Path> files = Files.list(dir)) {
            totalBytes = files.mapToLong(ParseStageDocumentsTest::size).sum();
        }
        assertThat(session.totalBytes()).isEqualTo(totalBytes);

        List<Result<RawDoc>> docs = new ArrayList<>();
        DocBatch batch;
        long seq = 0;
        do {
            batch = (DocBatch) request(vertx, session.session(), new NextDocs(++seq, 2));
            docs.addAll(batch.docs());
        } while (!batch.end());

        List<RawDoc> oks = docs.stream().filter(r -> r instanceof Ok<RawDoc>).map(r -> ((Ok<RawDoc>) r).value()).toList();
        assertThat(oks).extracting(RawDoc::id)
                .containsExactly("a.pdf#page=1", "a.pdf#page=2", "b.pdf#page=1", "b.pdf#page=2");
        assertThat(oks.get(3).location()).isEqualTo(dir.resolve("b.pdf") + "#page=2");
        assertThat(oks.get(3).text()).contains("Beta page two.");
        assertThat(oks.get(3).metadata()).containsEntry("title", "Beta").containsEntry("page", "2")
                .containsEntry("content_type", "application/pdf");
        List<ErrInfo> errs = docs.stream().filter(r -> r instanceof Err<RawDoc>).map(r -> ((Err<RawDoc>) r).error()).toList();
        assertThat(errs).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrCode.ENCRYPTED);
            assertThat(e.key()).isEqualTo("c.pdf");
            assertThat(e.stage()).isEqualTo("parse");
        });
        assertThat(batch.bytesRead()).isEqualTo(totalBytes);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PDF with one line per page; encrypted with {@code userPassword} when it is not null. */
    private static void pdf(Path file, String title, String userPassword, String... pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            doc.getDocumentInformation().setTitle(title);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String line : pages) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                    text.beginText();
                    text.setFont(font, 12);
                    text.newLineAtOffset(72, 700);
                    text.showText(line);
                    text.endText();
                }
            }
            if (userPassword != null) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-pw", userPassword, new AccessPermission());
                policy.setEncryptionKeyLength(128);
                doc.protect(policy);
            }
            doc.save(file.toFile());
        }
    }


    private static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }
}
