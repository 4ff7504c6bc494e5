package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Result;
import io.smallrye.mutiny.Uni;

/**
 * Port: cleans and chunks documents, a batch at a time. The reply has one result per document, in
 * order: the document's chunks, or an {@code Err} tagged with the stage that refused it
 * ({@code clean} or {@code chunk}). A failed call (for example a remote stage that did not answer)
 * fails every document of the batch.
 */
public interface Preparation {

    /** Cleans and chunks {@code docs}: one result per document, in order. */
    AsyncPlan<List<Result<List<Chunk>>>> prepare(List<RawDoc> docs);

    /** How many {@link #prepare} calls may usefully run at once. */
    default int parallelism() {
        return 1;
    }

    /**
     * Cleaning and chunking in this process, one document after the other, on the caller's thread.
     * Errors without a stage are tagged {@code clean} or {@code chunk} by where they arose.
     */
    static Preparation local(Function<? super RawDoc, Result<CleanDoc>> clean,
                             Function<? super CleanDoc, Result<List<Chunk>>> chunk) {
        requireNonNull(clean, "clean");
        requireNonNull(chunk, "chunk");
        return docs -> AsyncPlan.fromUni(() -> Uni.createFrom().item(() -> {
            List<Result<List<Chunk>>> out = new ArrayList<>(docs.size());
            for (RawDoc doc : docs) {
                Result<CleanDoc> cleaned = Result.<Result<CleanDoc>>attempt(() -> clean.apply(doc)).flatMap(r -> r)
                        .mapErr(e -> e.stage().isEmpty() ? e.withStage(Stage.CLEAN.label()) : e);
                out.add(cleaned.flatMap(c -> Result.<Result<List<Chunk>>>attempt(() -> chunk.apply(c)).flatMap(r -> r)
                        .mapErr(e -> e.stage().isEmpty() ? e.withStage(Stage.CHUNK.label()) : e)));
            }
            return out;
        }));
    }
}
