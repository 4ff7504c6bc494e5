package io.funcpipe.adapters.index;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.funcpipe.rag.Checkpoint;
import io.funcpipe.rag.SyncCounts;

/**
 * A {@link Checkpoint} as one JSON object, the form it takes in an index's commit user data (under
 * {@link #userDataKey}), on the event bus and in a job's status:
 * {@code {"key", "docs", "documentsFailed", "chunksIndexed", "chunksFailed", "time", "complete",
 * "sync": {"documentsAdded", "documentsUpdated", "documentsUnchanged", "documentsDeleted",
 * "chunksEmbedded", "chunksReused", "chunksDeleted"}}} with the time in ISO-8601. Unknown fields are
 * ignored when reading; a missing {@code complete} is false, a missing {@code sync} (a checkpoint
 * written before sync counts were kept) is all zeros.
 */
public final class CheckpointJson {

    /** Commit user data key prefix: one entry per run that committed to the index. */
    public static final String PREFIX = "funcpipe.checkpoint.";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SYNC_FIELDS = {"documentsAdded", "documentsUpdated", "documentsUnchanged",
        "documentsDeleted", "chunksEmbedded", "chunksReused", "chunksDeleted"};

    private CheckpointJson() {
    }

    /** The commit user data key of run {@code key}. */
    public static String userDataKey(String key) {
        return PREFIX + requireNonNull(key, "key");
    }

    public static ObjectNode node(Checkpoint checkpoint) {
        requireNonNull(checkpoint, "checkpoint");
        return JSON.createObjectNode()
                .put("key", checkpoint.key())
                .put("docs", checkpoint.docs())
                .put("documentsFailed", checkpoint.documentsFailed())
                .put("chunksIndexed", checkpoint.chunksIndexed())
                .put("chunksFailed", checkpoint.chunksFailed())
                .put("time", checkpoint.time().toString())
                .put("complete", checkpoint.complete())
                .set("sync", sync(checkpoint.sync()));
    }

    /** The seven sync counts as one JSON object, by their {@link SyncCounts} names. */
    public static ObjectNode sync(SyncCounts c) {
        return JSON.createObjectNode()
                .put("documentsAdded", c.documentsAdded())
                .put("documentsUpdated", c.documentsUpdated())
                .put("documentsUnchanged", c.documentsUnchanged())
                .put("documentsDeleted", c.documentsDeleted())
                .put("chunksEmbedded", c.chunksEmbedded())
                .put("chunksReused", c.chunksReused())
                .put("chunksDeleted", c.chunksDeleted());
    }

    /**
     * The sync counts of {@code node} (the value of a checkpoint's {@code "sync"}): all zeros when
     * it is missing or null, empty when it is not an object of whole numbers >= 0 (a missing count
     * is 0).
     */
    public static Optional<SyncCounts> sync(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.of(SyncCounts.none());
        }
        if (!node.isObject()) {
            return Optional.empty();
        }
        long[] c = new long[SYNC_FIELDS.length];
        for (int i = 0; i < SYNC_FIELDS.length; i++) {
            JsonNode n = node.path(SYNC_FIELDS[i]);
            if (n.isMissingNode() || n.isNull()) {
                continue;
            }
            if (!n.canConvertToExactIntegral() || !n.canConvertToLong() || n.asLong() < 0) {
                return Optional.empty();
            }
            c[i] = n.asLong();
        }
        return Optional.of(new SyncCounts(c[0], c[1], c[2], c[3], c[4], c[5], c[6]));
    }

    public static String write(Checkpoint checkpoint) {
        try {
            return JSON.writeValueAsString(node(checkpoint));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a checkpoint as JSON: " + e.getMessage(), e);
        }
    }

    /** The checkpoint in {@code text}, or empty when {@code text} is not one (an error names why). */
    public static Optional<Checkpoint> read(String text) {
        requireNonNull(text, "text");
        try {
            return read(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The checkpoint in {@code node}, or empty when a field is missing or of the wrong kind. */
    public static Optional<Checkpoint> read(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("key").isTextual() || !node.path("time").isTextual()) {
            return Optional.empty();
        }
        for (String field : new String[] {"docs", "documentsFailed", "chunksIndexed", "chunksFailed"}) {
            if (!node.path(field).canConvertToLong() || node.path(field).asLong() < 0) {
                return Optional.empty();
            }
        }
        Optional<SyncCounts> sync = sync(node.get("sync"));
        if (sync.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Checkpoint(node.get("key").asText(), node.get("docs").asLong(),
                    node.get("documentsFailed").asLong(), node.get("chunksIndexed").asLong(),
                    node.get("chunksFailed").asLong(), Instant.parse(node.get("time").asText()),
                    node.path("complete").asBoolean(false), sync.get()));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
