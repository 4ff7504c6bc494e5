package io.funcpipe.rag;

/** The stages of the ingestion pipeline, in order. Their lower-case names appear in errors and reports. */
public enum Stage {
    PARSE, CLEAN, CHUNK, EMBED, INDEX;

    /** The name used in {@code ErrInfo.stage}, reports and event-bus addresses. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
