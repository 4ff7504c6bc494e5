package io.funcpipe.service.bus;

/**
 * The event-bus addresses of the index API (JSON bodies; see docs/job-api.md), answered by
 * {@link IndexQueries} on the node that hosts the index stage, and the failure codes of its replies.
 */
public final class IndexAddresses {

    /**
     * Body {@code {"index", "query", "vector", "k", "filter", "minScore", "mode"}}; reply
     * {@code {"index", "mode", "hits": [{"score", "documentId", "chunkId", "location", "text", "metadata"}]}}.
     */
    public static final String SEARCH = "funcpipe.index.search";
    /** Body {@code {}} (or none); reply {@code {"indexes": [{"name", "chunks", "documents", "embedder", "dimensions"}]}}. */
    public static final String LIST = "funcpipe.index.list";
    /**
     * Body {@code {"index", "ids": [document id, ...]}}; reply {@code {"index", "requested", "documents",
     * "chunks"}}: the documents (with their chunks and records) removed, in one commit.
     */
    public static final String DELETE = "funcpipe.index.delete";
    /** The most document ids one {@link #DELETE} request may name. */
    public static final int MAX_DELETE_IDS = 10_000;

    /** The request was wrong; the message is {@code <field>: <what is wrong>}. */
    public static final int BAD_REQUEST = 400;
    /** The caller may not search this index. */
    public static final int FORBIDDEN = 403;
    /** No index has this name. */
    public static final int NOT_FOUND = 404;
    /** The index node failed unexpectedly while answering. */
    public static final int INTERNAL_ERROR = 500;
    /** The index or the query's embedder is not available now (stopping, no model); retry later. */
    public static final int UNAVAILABLE = 503;

    private IndexAddresses() {
    }

    /** The field a {@link #BAD_REQUEST} failure message names (the text before the first ": "), or empty. */
    public static String field(String badRequestMessage) {
        if (badRequestMessage == null) {
            return "";
        }
        int colon = badRequestMessage.indexOf(": ");
        return colon <= 0 ? "" : badRequestMessage.substring(0, colon);
    }

    /** The problem of a {@link #BAD_REQUEST} failure message without its field. */
    public static String problem(String badRequestMessage) {
        String field = field(badRequestMessage);
        return field.isEmpty() ? String.valueOf(badRequestMessage) : badRequestMessage.substring(field.length() + 2);
    }
}
