package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

import io.funcpipe.core.Result;

/**
 * The ports one ingestion run is bound to. Where they run (in process, or as remote stages over
 * an event bus) is the binder's business; the pipeline description never knows.
 *
 * @param source      where documents come from
 * @param preparation cleaning (an {@code Err} for binary or empty documents) and cutting into
 *                    chunks that fit the model's window
 * @param embedder    the embedding model
 * @param index       the vector index written to
 */
public record IngestStages(DocSource source, Preparation preparation, Embedder embedder, VectorIndex index) {
    public IngestStages {
        requireNonNull(source, "source");
        requireNonNull(preparation, "preparation");
        requireNonNull(embedder, "embedder");
        requireNonNull(index, "index");
    }

    /** Stages that clean and chunk in this process with {@code clean} and {@code chunk}. */
    public IngestStages(DocSource source,
                        Function<? super RawDoc, Result<CleanDoc>> clean,
                        Function<? super CleanDoc, Result<List<Chunk>>> chunk,
                        Embedder embedder,
                        VectorIndex index) {
        this(source, Preparation.local(clean, chunk), embedder, index);
    }
}
