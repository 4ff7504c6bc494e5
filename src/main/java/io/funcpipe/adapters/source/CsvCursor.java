package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;

/**
 * Reads an RFC 4180 CSV input with a header row, one record at a time (commons-csv). A record with
 * the wrong number of fields or without the text column is an {@code Err} and reading goes on; a
 * syntax error the parser cannot get past (such as an unterminated quote) is a last {@code Err}
 * that says so, and this file ends there. A record longer than {@code maxRecordBytes} (counted as
 * characters read, an unterminated quote makes the rest of the file one record) ends the file
 * with a {@code TOO_LARGE} item, before it can fill the heap.
 *
 * <p>{@link RawDoc#bytes()} of a record is the UTF-8 size of its fields and separators (quotes not
 * counted); {@link RawDoc#replacedChars()} counts the U+FFFD characters in its fields.
 */
final class CsvCursor implements RecordCursor {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader().setSkipHeaderRecord(true)
            .setAllowMissingColumnNames(true)
            .setIgnoreEmptyLines(true)
            .get();

    private final Utf8Reader reader;
    private final RecordLimitReader limited;
    private final int maxRecordBytes;
    private final Origin origin;
    private final FieldMapping fields;
    private final SourceCounters counters;
    private CSVParser parser;
    private Iterator<CSVRecord> records;
    private List<String> header = List.of();
    private long lastLine;
    private boolean ended;

    CsvCursor(InputStream in, Origin origin, SourceOptions options, SourceCounters counters) {
        this.reader = new Utf8Reader(requireNonNull(in, "in"));
        this.maxRecordBytes = options.maxRecordBytes();
        this.limited = new RecordLimitReader(reader, maxRecordBytes);
        this.origin = requireNonNull(origin, "origin");
        this.fields = options.csv();
        this.counters = requireNonNull(counters, "counters");
    }

    @Override
    public Result<RawDoc> next() {
        if (ended) {
            return null;
        }
        long start = lastLine + 1;
        try {
            if (parser == null) {
                parser = CSVParser.builder().setReader(limited).setFormat(FORMAT).get();
                header = parser.getHeaderNames();
                records = parser.iterator();
                lastLine = parser.getCurrentLineNumber();
                start = lastLine + 1;
            }
            limited.startRecord();
            if (!records.hasNext()) {
                ended = true;
                return null;
            }
            CSVRecord record = records.next();
            lastLine = parser.getCurrentLineNumber();
            return toDoc(record, start);
        } catch (UncheckedIOException e) {
            ended = true;
            return e.getCause() instanceof RecordLimitReader.TooLarge ? tooLarge(start) : unrecoverable(start, e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            ended = true;
            return unrecoverable(start, e);
        } catch (RecordLimitReader.TooLarge e) {
            ended = true;
            return tooLarge(start);
        } catch (IOException e) {
            ended = true;
            return RecordCursor.ioError(origin.display(), e);
        }
    }

    private Result<RawDoc> toDoc(CSVRecord record, long line) {
        if (!record.isConsistent()) {
            return malformed(line, "has " + record.size() + " fields but the header has " + header.size()
                    + "; quote fields that contain commas or line breaks");
        }
        if (!record.isMapped(fields.textField())) {
            return malformed(line, "no column '" + fields.textField() + "' (the header has " + header
                    + "); name the text column with the csv text-column option");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", origin.relative());
        long bytes = 1;
        int replaced = 0;
        for (String name : header) {
            String value = record.isSet(name) ? record.get(name) : "";
            bytes += utf8Length(value) + 1;
            replaced += countReplacements(value);
            if (fields.keepsAsMetadata(name) && !name.isEmpty()) {
                metadata.put(name, value);
            }
        }
        counters.addReplaced(replaced);
        String id = !fields.idField().isEmpty() && record.isMapped(fields.idField())
                && !record.get(fields.idField()).isEmpty()
                ? record.get(fields.idField()) : origin.contentId(record.get(fields.textField()), metadata);
        return Result.ok(new RawDoc(id, origin.at(line), record.get(fields.textField()), metadata, bytes, replaced));
    }

    private Result<RawDoc> malformed(long line, String why) {
        String location = origin.at(line);
        return Result.err(ErrInfo.of(ErrCode.MALFORMED_RECORD, location + ": record " + why)
                .withStage("parse").withKey(origin.idAt(line)).withLocation(location));
    }

    private Result<RawDoc> tooLarge(long line) {
        String location = origin.at(line);
        return Result.err(ErrInfo.of(ErrCode.TOO_LARGE, location + ": the CSV record from this line on is longer than "
                        + "the limit of " + maxRecordBytes + " bytes for one record (maxRecordBytes; limits.recordBytes "
                        + "in the service), so the rest of this file is skipped. Look for an unterminated or stray "
                        + "double quote, which makes the rest of the file one field")
                .withStage("parse").withKey(origin.idAt(line)).withLocation(location)
                .withDetail(InputUnread.DETAIL, "true"));
    }

    private Result<RawDoc> unrecoverable(long line, RuntimeException e) {
        String location = origin.at(line);
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Result.err(ErrInfo.of(ErrCode.MALFORMED_RECORD, location + ": malformed CSV from this record on ("
                        + why + "); the parser cannot recover, so the rest of this file is skipped. "
                        + "Check the header row, and look for an unterminated or stray double quote")
                .withStage("parse").withKey(origin.idAt(line)).withLocation(location)
                .withDetail("unrecoverable", "true"));
    }

    private static int countReplacements(String value) {
        int n = 0;
        for (int i = value.indexOf(Decoded.REPLACEMENT); i >= 0; i = value.indexOf(Decoded.REPLACEMENT, i + 1)) {
            n++;
        }
        return n;
    }

    private static int utf8Length(String value) {
        return value.chars().allMatch(c -> c < 0x80) ? value.length() : value.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public void close() {
        try {
            if (parser != null) {
                parser.close();
            }
            reader.close();
        } catch (IOException e) {
            throw new IllegalStateException("closing " + origin.display() + " failed: " + e.getMessage(), e);
        }
    }
}
