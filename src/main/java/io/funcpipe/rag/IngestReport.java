package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.funcpipe.core.ErrCode;

/**
 * The account of one ingestion run: every input record is either indexed (as chunks) or counted
 * as failed, per stage. {@code documentsRead} equals the input's record count.
 *
 * @param documentsRead   records the sources produced (ok or malformed)
 * @param documentsFailed records that failed to parse, clean or chunk (each is in the errors log)
 * @param chunksIndexed   chunks upserted into the index
 * @param chunksFailed    chunks that failed to embed or index (each is in the errors log)
 * @param elapsedSeconds  wall time of the run
 * @param bytesRead       input bytes of the documents parsed
 * @param tokens          model tokens in the chunks made
 * @param truncations     inputs the embedder truncated (0 when chunks are sized right)
 * @param replacedChars   invalid UTF-8 sequences replaced while decoding
 * @param embedder        the embedder's name
 * @param stages          per-stage counts, in pipeline order
 * @param errorsByCode    failed items per error code
 * @param sync            documents added, updated, unchanged and deleted; chunks embedded, reused and deleted
 */
public record IngestReport(long documentsRead, long documentsFailed, long chunksIndexed, long chunksFailed,
                           double elapsedSeconds, long bytesRead, long tokens, long truncations, long replacedChars,
                           String embedder, Map<String, StageCount> stages, Map<ErrCode, Long> errorsByCode,
                           SyncCounts sync) {

    public IngestReport {
        requireNonNull(embedder, "embedder");
        requireNonNull(sync, "sync");
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
        errorsByCode = Map.copyOf(errorsByCode);
    }

    /** The report of the counts as they stand. */
    public static IngestReport of(IngestCounters counters, double elapsedSeconds, Embedder embedder) {
        Map<String, StageCount> stages = new LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            stages.put(stage.label(), counters.stage(stage));
        }
        long documentsFailed = counters.stage(Stage.PARSE).failed() + counters.stage(Stage.CLEAN).failed()
                + counters.stage(Stage.CHUNK).failed();
        long chunksFailed = counters.stage(Stage.EMBED).failed() + counters.stage(Stage.INDEX).failed();
        return new IngestReport(counters.stage(Stage.PARSE).in(), documentsFailed, counters.stage(Stage.INDEX).ok(),
                chunksFailed, elapsedSeconds, counters.bytesRead(), counters.tokens(), embedder.truncations(),
                counters.replacedChars(), embedder.name(), stages, counters.errorsByCode(), counters.sync());
    }

    /**
     * This report with the records an earlier attempt finished added in: a resumed run's counters
     * count its own attempt; {@code base} (the checkpoint it started from) holds the rest, so the
     * totals equal those of a run that was never interrupted (the sync counts too). Per-stage counts
     * stay this attempt's.
     */
    public IngestReport resumedFrom(Checkpoint base) {
        requireNonNull(base, "base");
        if (base.atStart()) {
            return this;
        }
        return new IngestReport(documentsRead + base.docs(), documentsFailed + base.documentsFailed(),
                chunksIndexed + base.chunksIndexed(), chunksFailed + base.chunksFailed(), elapsedSeconds, bytesRead,
                tokens, truncations, replacedChars, embedder, stages, errorsByCode, sync.plus(base.sync()));
    }

    /** Whether any record or chunk failed. */
    public boolean anyFailed() {
        return documentsFailed > 0 || chunksFailed > 0;
    }
}
