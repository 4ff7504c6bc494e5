package io.funcpipe.service.bus;

import java.util.UUID;

/**
 * The event-bus addresses of the ingestion stages. A stage verticle registers at its address on
 * every node that hosts it; the event bus spreads requests over all of them, cluster-wide.
 */
public final class StageAddress {

    /** What every stage's address starts with; the stage's name follows. */
    public static final String PREFIX = "funcpipe.stage.";
    /** Source sessions are opened here ({@code OpenSource}). */
    public static final String PARSE = "funcpipe.stage.parse";
    /** Cleaning and chunking ({@code PrepareDocs}). */
    public static final String CLEAN = "funcpipe.stage.clean";
    /** Embedding ({@code EmbedTexts}). */
    public static final String EMBED = "funcpipe.stage.embed";
    /** Index writes ({@code UpsertChunks}, {@code CommitIndex}). */
    public static final String INDEX = "funcpipe.stage.index";
    /** The prefix of a source session's own address; only the node that owns the session listens there. */
    public static final String SESSION_PREFIX = PARSE + ".session.";

    private StageAddress() {
    }

    /** A new, cluster-unique session address: {@code funcpipe.stage.parse.session.<uuid>}. */
    public static String newSession() {
        return SESSION_PREFIX + UUID.randomUUID();
    }

    /**
     * The metric label of a request to {@code address}: the stage's address, every source session as
     * one {@code funcpipe.stage.parse.session}, anything else {@code other}. Labels stay a closed set
     * however many sessions a node opens (a label per session would add a time series per session).
     */
    public static String metricLabel(String address) {
        if (isSession(address)) {
            return SESSION_PREFIX.substring(0, SESSION_PREFIX.length() - 1);
        }
        return switch (address) {
            case PARSE, CLEAN, EMBED, INDEX -> address;
            default -> "other";
        };
    }

    /** Whether {@code address} is a source session's address. */
    public static boolean isSession(String address) {
        return address.startsWith(SESSION_PREFIX);
    }
}
