package io.funcpipe.adapters.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/** Documents the tests make: PDFs with PDFBox, Word files with POI, HTML by hand, and bad ones. */
final class Documents {

    /** PDFBox warns that it substitutes a font for Helvetica when writing; held so the level sticks. */
    private static final java.util.logging.Logger PDFBOX = quiet(java.util.logging.Logger.getLogger("org.apache.pdfbox"));

    /** 2024-03-05T10:00:00Z, the creation date the made PDFs carry. */
    static final Calendar CREATED = created();

    private Documents() {
    }

    /** A PDF with one page per element of {@code pages} (each a list of lines; an empty list is a blank page). */
    static Path pdf(Path file, String title, String author, List<List<String>> pages) throws IOException {
        try (PDDocument doc = document(title, author, pages)) {
            doc.save(file.toFile());
        }
        return file;
    }

    /** A PDF that opens only with the password {@code user}. */
    static Path encryptedPdf(Path file) throws IOException {
        try (PDDocument doc = document("Secret", "Nobody", List.of(List.of("The launch codes are in the safe.")))) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-pw", "user-pw", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            doc.save(file.toFile());
        }
        return file;
    }

    /** A Word file with a title, an author and one paragraph per element of {@code paragraphs}. */
    static Path docx(Path file, String title, String author, List<String> paragraphs) throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); OutputStream out = Files.newOutputStream(file)) {
            doc.getProperties().getCoreProperties().setTitle(title);
            doc.getProperties().getCoreProperties().setCreator(author);
            for (String text : paragraphs) {
                doc.createParagraph().createRun().setText(text);
            }
            doc.write(out);
        }
        return file;
    }

    /** An HTML page by Jane Roe. */
    static Path html(Path file, String title, String body) throws IOException {
        return html(file, title, "Jane Roe", body);
    }

    static Path html(Path file, String title, String author, String body) throws IOException {
        return Files.writeString(file, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title
                + "</title><meta name=\"author\" content=\"" + author + "\"></head><body>" + body + "</body></html>\n");
    }

    /**
     * A Word file of a few hundred KiB whose {@code word/document.xml} expands to
     * {@code expandedMiB} MiB of text (a zip bomb); written in pieces, never held whole.
     */
    static Path zipBombDocx(Path file, int expandedMiB) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            entry(zip, "[Content_Types].xml", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                    <Default Extension="xml" ContentType="application/xml"/>
                    <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
                    </Types>""");
            entry(zip, "_rels/.rels", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
                    </Relationships>""");
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w="
                    + "\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] paragraph = ("<w:p><w:r><w:t>" + "a".repeat(1000) + "</w:t></w:r></w:p>").getBytes(StandardCharsets.UTF_8);
            long target = (long) expandedMiB << 20;
            for (long written = 0; written < target; written += paragraph.length) {
                zip.write(paragraph);
            }
            zip.write("</w:body></w:document>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    private static void entry(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static PDDocument document(String title, String author, List<List<String>> pages) throws IOException {
        PDDocument doc = new PDDocument();
        PDDocumentInformation info = doc.getDocumentInformation();
        info.setTitle(title);
        info.setAuthor(author);
        info.setCreationDate(CREATED);
        PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        for (List<String> lines : pages) {
            PDPage page = new PDPage();
            doc.addPage(page);
            if (lines.isEmpty()) {
                continue;
            }
            try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(font, 12);
                text.setLeading(16);
                text.newLineAtOffset(72, 700);
                for (String line : lines) {
                    text.showText(line);
                    text.newLine();
                }
                text.endText();
            }
        }
        return doc;
    }

    private static Calendar created() {
        Calendar c = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        c.clear();
        c.set(2024, Calendar.MARCH, 5, 10, 0, 0);
        return c;
    }

    private static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }
}
