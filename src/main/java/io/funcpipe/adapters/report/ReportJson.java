package io.funcpipe.adapters.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.funcpipe.rag.IngestReport;

/**
 * An ingestion report as one JSON object: every field of {@link IngestReport} (per-stage counts
 * under {@code stages}, failed items per code under {@code errorsByCode}) plus where the index and
 * the errors log are. {@code funcpipe ingest --json} prints it; a job's final progress event and
 * status carry the same object under {@code report}, so one parser reads both.
 */
public final class ReportJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportJson() {
    }

    /**
     * The report as a tree.
     *
     * @param index     where the index is (a folder, or a description when it lives on another node)
     * @param errorsLog the errors log's path
     */
    public static ObjectNode node(IngestReport report, String index, String errorsLog) {
        requireNonNull(report, "report");
        requireNonNull(index, "index");
        requireNonNull(errorsLog, "errorsLog");
        ObjectNode node = JSON.valueToTree(report);
        node.put("index", index);
        node.put("errorsLog", errorsLog);
        return node;
    }

    /** The report as JSON text on one line; see {@link #node}. */
    public static String write(IngestReport report, String index, String errorsLog) {
        try {
            return JSON.writeValueAsString(node(report, index, errorsLog));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the report as JSON: " + e.getMessage(), e);
        }
    }
}
