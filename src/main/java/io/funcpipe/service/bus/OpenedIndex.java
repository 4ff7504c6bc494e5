package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.service.bus.protocol.IndexTarget;

/**
 * An index the {@link IndexRegistry} holds open for writing, with the {@link IndexManifest} it was
 * opened for: a new index gets the manifest of the first request's embedder; an existing one must
 * match it, at the open and at every later request ({@link #serving}).
 */
record OpenedIndex(LuceneVectorIndex index, IndexManifest manifest) {

    OpenedIndex {
        requireNonNull(index, "index");
        requireNonNull(manifest, "manifest");
    }

    /** Opens {@code <root>/<target name>} for writing, checking or writing its manifest. Blocks: call it on a worker. */
    static Result<OpenedIndex> open(Path root, IndexTarget target) {
        Path dir = root.resolve(target.name());
        IndexManifest wanted;
        try {
            wanted = new IndexManifest(target.embedder(), target.dimensions());
        } catch (IllegalArgumentException e) {
            return Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, "cannot open the index '" + target.name() + "': "
                    + e.getMessage()).withStage("index"));
        }
        try {
            Optional<IndexManifest> existing = IndexManifest.read(dir);
            if (existing.isPresent()) {
                existing.get().requireCompatible(wanted, dir);
            }
        } catch (IOException | IllegalArgumentException e) {
            return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "cannot write the index '" + target.name() + "': "
                    + e.getMessage()).withStage("index"));
        }
        Result<LuceneVectorIndex> opened = LuceneVectorIndex.open(dir, target.dimensions());
        if (opened instanceof Ok<LuceneVectorIndex>(LuceneVectorIndex index)) {
            try {
                wanted.write(dir);
            } catch (IOException e) {
                index.close();
                return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "cannot write the manifest of the index '"
                        + target.name() + "' at " + dir + ": " + e.getMessage()).withStage("index"));
            }
        }
        return opened.map(index -> new OpenedIndex(index, wanted)).mapErr(e -> e.stage().isEmpty() ? e.withStage("index") : e);
    }

    /** The index for a request that brings {@code target}'s embedder, or an Err when the manifest differs. */
    Result<LuceneVectorIndex> serving(IndexTarget target) {
        if (manifest.equals(new IndexManifest(target.embedder(), target.dimensions()))) {
            return Result.ok(index);
        }
        return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "the index '" + target.name() + "' at "
                + index.path() + " holds vectors of embedder '" + manifest.embedder() + "' ("
                + manifest.dimensions() + " dims) but this request brings '" + target.embedder() + "' ("
                + target.dimensions() + " dims): run the job with the index's embedder, or write another index")
                .withStage("index"));
    }
}
