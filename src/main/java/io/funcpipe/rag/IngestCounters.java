package io.funcpipe.rag;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.Result;

/**
 * Live counts of one ingestion run, updated by the pipeline as items pass each stage and read by
 * progress displays and the final report. Thread-safe; counting never blocks.
 */
public final class IngestCounters {

    private final Map<Stage, LongAdder[]> counts = new EnumMap<>(Stage.class);
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder replacedChars = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder chunks = new LongAdder();
    private final LongAdder bytesSettled = new LongAdder();
    private final Map<String, Long> pendingShares = new ConcurrentHashMap<>();
    private final Map<ErrCode, LongAdder> errors = new EnumMap<>(ErrCode.class);
    private final LongAdder added = new LongAdder();
    private final LongAdder updated = new LongAdder();
    private final LongAdder unchanged = new LongAdder();
    private final LongAdder deletedDocs = new LongAdder();
    private final LongAdder embedded = new LongAdder();
    private final LongAdder reused = new LongAdder();
    private final LongAdder deletedChunks = new LongAdder();

    public IngestCounters() {
        for (Stage stage : Stage.values()) {
            counts.put(stage, new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
        }
        for (ErrCode code : ErrCode.values()) {
            errors.put(code, new LongAdder());
        }
    }

    /** Counts one item entering {@code stage}. */
    public void in(Stage stage) {
        counts.get(stage)[0].increment();
    }

    /** Counts one result leaving {@code stage}. */
    public void out(Stage stage, Result<?> result) {
        counts.get(stage)[result.isOk() ? 1 : 2].increment();
        result.onErr(e -> errors.get(e.code()).increment());
    }

    /** Counts an item in and its result out at once (one-to-one stages). */
    public void passed(Stage stage, Result<?> result) {
        in(stage);
        out(stage, result);
    }

    void parsed(Result<RawDoc> result) {
        passed(Stage.PARSE, result);
        result.onOk(doc -> {
            bytesRead.add(doc.bytes());
            replacedChars.add(doc.replacedChars());
        });
    }

    void chunked(Chunk chunk) {
        tokens.add(chunk.tokens());
        chunks.increment();
    }

    /** Chunks cut so far (each then goes to embed and index, or fails there). */
    public long chunks() {
        return chunks.sum();
    }

    /**
     * Input bytes whose work is over: documents refused before chunking count whole, and a
     * chunked document's bytes count in equal shares as its chunks leave the index stage (or fail
     * on the way). Progress and ETA are computed from this, not from the bytes read, which run
     * ahead by whatever the batches in flight hold.
     */
    public long bytesSettled() {
        return bytesSettled.sum();
    }

    void settledBytes(long bytes) {
        bytesSettled.add(bytes);
    }

    /** Records the share of its document's bytes each of {@code chunks} settles when it is done. */
    void expect(List<Chunk> chunks, long docBytes) {
        if (chunks.isEmpty()) {
            bytesSettled.add(docBytes);
            return;
        }
        long share = docBytes / chunks.size();
        long rest = docBytes - share * chunks.size();
        for (int i = 0; i < chunks.size(); i++) {
            pendingShares.put(chunks.get(i).id(), i == 0 ? share + rest : share);
        }
    }

    void settled(Chunk chunk) {
        Long share = pendingShares.remove(chunk.id());
        if (share != null) {
            bytesSettled.add(share);
        }
    }

    /** A document written: new to the index, or over an earlier version whose {@code oldChunksDeleted} chunks went. */
    void written(boolean update, long oldChunksDeleted) {
        (update ? updated : added).increment();
        deletedChunks.add(oldChunksDeleted);
    }

    /** A document skipped before cleaning: the index holds it as it is. */
    void unchanged(long bytes) {
        unchanged.increment();
        bytesSettled.add(bytes);
    }

    /** Documents (and their chunks) deleted. */
    public void deleted(Deletion deletion) {
        deletedDocs.add(deletion.documents());
        deletedChunks.add(deletion.chunks());
    }

    void embedded(long embeddedChunks, long reusedChunks) {
        embedded.add(embeddedChunks);
        reused.add(reusedChunks);
    }

    /** The sync counts now. */
    public SyncCounts sync() {
        return new SyncCounts(added.sum(), updated.sum(), unchanged.sum(), deletedDocs.sum(), embedded.sum(),
                reused.sum(), deletedChunks.sum());
    }

    /** The counts of one stage now. */
    public StageCount stage(Stage stage) {
        LongAdder[] c = counts.get(stage);
        return new StageCount(c[0].sum(), c[1].sum(), c[2].sum());
    }

    /** How many items failed with each code so far (codes never seen are left out). */
    public Map<ErrCode, Long> errorsByCode() {
        Map<ErrCode, Long> out = new EnumMap<>(ErrCode.class);
        errors.forEach((code, n) -> {
            if (n.sum() > 0) {
                out.put(code, n.sum());
            }
        });
        return out;
    }

    /** Input bytes of the documents parsed so far. */
    public long bytesRead() {
        return bytesRead.sum();
    }

    /** Invalid UTF-8 sequences replaced while decoding so far. */
    public long replacedChars() {
        return replacedChars.sum();
    }

    /** Model tokens in the chunks made so far. */
    public long tokens() {
        return tokens.sum();
    }
}
