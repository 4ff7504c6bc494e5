package io.funcpipe.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.funcpipe.adapters.report.ReportJson;
import io.funcpipe.rag.IngestReport;
import io.funcpipe.rag.StageCount;
import io.funcpipe.rag.SyncCounts;

/** Writes an ingestion report for a person (text) or a program (one JSON object). */
final class ReportFormat {

    static final ObjectMapper JSON = new ObjectMapper();

    private ReportFormat() {
    }

    /** The report as one JSON object, with the index folder and the errors log added ({@link ReportJson}). */
    static String json(IngestReport report, Path index, Path errorsLog) {
        return ReportJson.write(report, index.toString(), errorsLog.toString());
    }

    /** The report as a few lines of text. */
    static String text(IngestReport r, Path index, Path errorsLog) {
        StringBuilder out = new StringBuilder();
        double s = Math.max(r.elapsedSeconds(), 1e-9);
        out.append(String.format(Locale.ROOT, "Ingested %d documents (%d failed) into %s: %d chunks indexed, %d failed, in %.1f s%n",
                r.documentsRead(), r.documentsFailed(), index, r.chunksIndexed(), r.chunksFailed(), r.elapsedSeconds()));
        out.append(String.format(Locale.ROOT, "  input %.2f MB at %.2f MB/s; %d tokens at %.0f tokens/s; %.1f chunks/s; embedder %s%n",
                r.bytesRead() / 1e6, r.bytesRead() / 1e6 / s, r.tokens(), r.tokens() / s, r.chunksIndexed() / s, r.embedder()));
        SyncCounts y = r.sync();
        out.append(String.format(Locale.ROOT, "  documents: %d added, %d updated, %d unchanged, %d deleted, %d failed%n",
                y.documentsAdded(), y.documentsUpdated(), y.documentsUnchanged(), y.documentsDeleted(), r.documentsFailed()));
        out.append(String.format(Locale.ROOT, "  chunks: %d embedded, %d reused, %d deleted%n",
                y.chunksEmbedded(), y.chunksReused(), y.chunksDeleted()));
        out.append(String.format(Locale.ROOT, "  %-6s %10s %10s %10s%n", "stage", "in", "ok", "failed"));
        for (Map.Entry<String, StageCount> e : r.stages().entrySet()) {
            StageCount c = e.getValue();
            out.append(String.format(Locale.ROOT, "  %-6s %10d %10d %10d%n", e.getKey(), c.in(), c.ok(), c.failed()));
        }
        out.append(String.format(Locale.ROOT, "  truncated by the embedder: %d; invalid UTF-8 sequences replaced: %d%n",
                r.truncations(), r.replacedChars()));
        if (r.errorsByCode().isEmpty()) {
            out.append("  errors: none").append(System.lineSeparator());
        } else {
            String byCode = r.errorsByCode().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            out.append("  errors: ").append(byCode).append("; each one is in ").append(errorsLog)
                    .append(System.lineSeparator());
        }
        return out.toString();
    }
}
