package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.Property;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.microsoft.OfficeParserConfig;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;

/**
 * Reads one file with Apache Tika (its type detected by content): the whole parse runs on a
 * {@link ParseWorkers} thread under {@link SourceOptions#parseTimeout()} and
 * {@link SourceOptions#maxDocumentChars()}, then its documents are handed out one by one.
 *
 * <p>Documents: a PDF gives one per page that has text (id {@code relative#page=N}, location
 * {@code display#page=N}, metadata {@code page} and {@code pages}), any other type one (id: the
 * relative path). Attachments and the messages of an mbox are read into their parent's text.
 * Metadata ({@link #METADATA_KEYS}): {@code source}, {@code content_type}, and when the document
 * has them {@code title}, {@code author}, {@code created}, {@code modified}. No OCR: a page without
 * a text layer has no text.
 *
 * <p>A failure is one {@code Err} for the file: {@code ENCRYPTED}, {@code CORRUPT},
 * {@code TOO_LARGE}, {@code PARSE_TIMEOUT}, {@code EMPTY_DOCUMENT} or {@code IO_ERROR}.
 */
final class TikaCursor implements RecordCursor {

    /** The metadata keys a document read with Tika may carry, in docs/formats.md. */
    static final List<String> METADATA_KEYS = List.of("source", "content_type", "title", "author", "created",
            "modified", "page", "pages");

    private static final int MAX_METADATA_CHARS = 1000;

    private final Path file;
    private final Origin origin;
    private final SourceOptions options;
    private final SourceCounters counters;
    private final Parser parser;
    private Iterator<Result<RawDoc>> docs;

    TikaCursor(Path file, Origin origin, SourceOptions options, SourceCounters counters) {
        this(file, origin, options, counters, StandardParser.PARSER);
    }

    /** With another parser: for tests of the limits. */
    TikaCursor(Path file, Origin origin, SourceOptions options, SourceCounters counters, Parser parser) {
        this.file = requireNonNull(file, "file");
        this.origin = requireNonNull(origin, "origin");
        this.options = requireNonNull(options, "options");
        this.counters = requireNonNull(counters, "counters");
        this.parser = requireNonNull(parser, "parser");
    }

    @Override
    public Result<RawDoc> next() {
        if (docs == null) {
            docs = read().iterator();
        }
        return docs.hasNext() ? docs.next() : null;
    }

    @Override
    public void close() {
        docs = null;
    }

    /** What a parse leaves: the text of each page and the document's metadata. */
    private record Parsed(List<String> pages, boolean paged, Metadata metadata, long bytes) {
    }

    private List<Result<RawDoc>> read() {
        Parsed parsed;
        try {
            parsed = ParseWorkers.call(this::parse, options.parseTimeout());
        } catch (ParseWorkers.TimedOut e) {
            return List.of(err(ErrInfo.of(ErrCode.PARSE_TIMEOUT, origin.display() + (e.started()
                    ? " took longer than the time limit of " + options.parseTimeout().toSeconds() + " s to parse and "
                            + "was abandoned; raise parseTimeout if it is sound, or exclude it"
                    : " waited longer than " + options.parseTimeout().toSeconds() + " s for one of the "
                            + ParseWorkers.THREADS + " parse workers, all busy; it was not read"))));
        } catch (ExecutionException e) {
            return List.of(err(DocumentFailure.of(e.getCause(), origin.display(), options)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(err(ErrInfo.of(ErrCode.IO_ERROR, "reading " + origin.display() + " was interrupted")));
        }
        return documents(parsed);
    }

    private Parsed parse(java.util.function.BooleanSupplier aborted) throws Exception {
        long bytes = Files.size(file);
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.getFileName().toString());
        DocumentHandler handler = new DocumentHandler(options.maxDocumentChars(), aborted);
        counters.opened();
        try (TikaInputStream in = TikaInputStream.get(file, metadata)) {
            parser.parse(in, handler, metadata, context());
        } finally {
            counters.closed();
            counters.addBytes(bytes);
        }
        return new Parsed(handler.pages(), handler.paged(), metadata, bytes);
    }

    /**
     * No OCR; Word and PowerPoint read by Tika's streaming (SAX) extractors, so a document's memory
     * follows its text, not a DOM of its XML; attachments parsed with the same parser.
     */
    private ParseContext context() {
        ParseContext context = new ParseContext();
        context.set(Parser.class, parser);
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
        pdf.setExtractInlineImages(false);
        context.set(PDFParserConfig.class, pdf);
        OfficeParserConfig office = new OfficeParserConfig();
        office.setUseSAXDocxExtractor(true);
        office.setUseSAXPptxExtractor(true);
        context.set(OfficeParserConfig.class, office);
        TesseractOCRConfig ocr = new TesseractOCRConfig();
        ocr.setSkipOcr(true);
        context.set(TesseractOCRConfig.class, ocr);
        return context;
    }

    private List<Result<RawDoc>> documents(Parsed parsed) {
        Map<String, String> metadata = metadata(parsed.metadata());
        if (!parsed.paged() || !"application/pdf".equals(metadata.get("content_type"))) {
            // Tika wraps other units in page divs too (an Excel sheet): one document, the units in order.
            String text = String.join("\n\n", parsed.pages().stream().filter(p -> !p.isBlank()).toList());
            return List.of(Result.ok(new RawDoc(origin.relative(), origin.display(), text, metadata, parsed.bytes(), 0)));
        }
        List<String> pages = new ArrayList<>(parsed.pages());
        int count = pages.size() - 1;
        if (!pages.get(0).isBlank()) {
            pages.set(1, pages.get(0) + "\n\n" + pages.get(1));
        }
        long chars = 0;
        for (int n = 1; n <= count; n++) {
            chars += pages.get(n).isBlank() ? 0 : pages.get(n).length();
        }
        if (chars == 0) {
            return List.of(err(ErrInfo.of(ErrCode.EMPTY_DOCUMENT, origin.display() + " has no text on any of its "
                    + count + " pages (scanned images? text recognition is not enabled); it was not indexed")));
        }
        List<Result<RawDoc>> docs = new ArrayList<>();
        long bytesLeft = parsed.bytes();
        long charsLeft = chars;
        for (int n = 1; n <= count; n++) {
            String text = pages.get(n);
            if (text.isBlank()) {
                continue;
            }
            long share = charsLeft == text.length() ? bytesLeft : parsed.bytes() * text.length() / chars;
            bytesLeft -= share;
            charsLeft -= text.length();
            Map<String, String> pageMetadata = new LinkedHashMap<>(metadata);
            pageMetadata.put("page", Integer.toString(n));
            pageMetadata.put("pages", Integer.toString(count));
            String at = "#page=" + n;
            docs.add(Result.ok(new RawDoc(origin.relative() + at, origin.display() + at, text, pageMetadata, share, 0)));
        }
        return docs;
    }

    private Map<String, String> metadata(Metadata tika) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("source", origin.relative());
        String type = tika.get(Metadata.CONTENT_TYPE);
        if (type != null) {
            out.put("content_type", MediaType.parse(type) == null ? type : MediaType.parse(type).getBaseType().toString());
        }
        put(out, "title", tika, TikaCoreProperties.TITLE);
        put(out, "author", tika, TikaCoreProperties.CREATOR);
        put(out, "created", tika, TikaCoreProperties.CREATED);
        put(out, "modified", tika, TikaCoreProperties.MODIFIED);
        return out;
    }

    private static void put(Map<String, String> out, String key, Metadata tika, Property property) {
        List<String> values = new ArrayList<>();
        for (String value : tika.getValues(property)) {
            if (value != null && !value.isBlank() && !values.contains(value.strip())) {
                values.add(value.strip());
            }
        }
        if (!values.isEmpty()) {
            String joined = String.join("; ", values);
            out.put(key, joined.length() > MAX_METADATA_CHARS ? joined.substring(0, MAX_METADATA_CHARS) : joined);
        }
    }

    private Result<RawDoc> err(ErrInfo info) {
        return Result.err(info.withStage("parse").withKey(origin.relative()).withLocation(origin.display()));
    }

    /** Tika's parsers for every type it detects, built once on first use. */
    private static final class StandardParser {
        static final Parser PARSER = new AutoDetectParser(DocumentTypes.Holder.CONFIG);

        private StandardParser() {
        }
    }

}
