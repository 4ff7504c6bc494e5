package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

import io.funcpipe.core.Result;

/**
 * The ports one ingestion run is bound to. Where they run (in process, or as remote stages over
 * an event bus) is the binder's business; the pipeline description never knows.
 *
 * @param source   where documents come from
 * @param clean    cleaning of one document (an {@code Err} for binary or empty documents)
 * @param chunk    cutting of one clean document into chunks that fit the model's window
 * @param embedder the embedding model
 * @param index    the vector index written to
 */
public record IngestStages(DocSource source,
                           Function<? super RawDoc, Result<CleanDoc>> clean,
                           Function<? super CleanDoc, Result<List<Chunk>>> chunk,
                           Embedder embedder,
                           VectorIndex index) {
    public IngestStages {
        requireNonNull(source, "source");
        requireNonNull(clean, "clean");
        requireNonNull(chunk, "chunk");
        requireNonNull(embedder, "embedder");
        requireNonNull(index, "index");
    }
}
