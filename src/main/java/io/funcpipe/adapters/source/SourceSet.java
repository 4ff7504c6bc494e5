package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.DocSource;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.rag.SyncOptions;

/**
 * Several sources read one after the other, in the order given, sharing one set of
 * {@link SourceCounters} the caller can poll for progress.
 */
public final class SourceSet implements DocSource {

    private final List<DocSource> sources;
    private final List<String> roots;
    private final SourceCounters counters;
    private final SourceOptions options;

    SourceSet(List<DocSource> sources, List<String> roots, SourceCounters counters, SourceOptions options) {
        this.sources = List.copyOf(sources);
        this.roots = List.copyOf(roots);
        this.counters = requireNonNull(counters, "counters");
        this.options = requireNonNull(options, "options");
        if (this.roots.size() != this.sources.size()) {
            throw new IllegalArgumentException(this.roots.size() + " roots for " + this.sources.size() + " sources");
        }
    }

    /** Each source's root ({@link Sources#root}), in reading order: what its documents' records name as their source. */
    public List<String> roots() {
        return roots;
    }

    /** The sources, in reading order. */
    public List<DocSource> sources() {
        return sources;
    }

    /** Live counters: bytes read, files skipped for an unknown extension, replaced characters, open handles. */
    public SourceCounters counters() {
        return counters;
    }

    @Override
    public String describe() {
        return sources.stream().map(DocSource::describe).collect(Collectors.joining(", "));
    }

    /** The sum of the sources' sizes, or -1 when any of them is unknown (such as a URL). */
    @Override
    public long totalBytes() {
        long sum = 0;
        for (DocSource source : sources) {
            long size = source.totalBytes();
            if (size < 0) {
                return -1;
            }
            sum += size;
        }
        return sum;
    }

    /**
     * Every source's records in order, each tagged with its source's root
     * ({@link SyncOptions#ROOT_METADATA}). A record whose metadata is over
     * {@link SourceOptions#maxMetadataBytes} is a {@code TOO_LARGE} item; once more than
     * {@link SourceOptions#maxTotalBytes} have been read, the record that crossed the limit becomes
     * a {@code TOO_LARGE} item and reading stops there.
     */
    @Override
    public AsyncGen<RawDoc> docs() {
        AsyncGen<RawDoc> all = AsyncGen.fromIterable(java.util.stream.IntStream.range(0, sources.size()).boxed().toList())
                .flatMap(i -> sources.get(i).docs().mapResult(this::checkMetadata).map(doc -> withRoot(doc, roots.get(i))));
        if (options.maxTotalBytes() == Long.MAX_VALUE) {
            return all;
        }
        return AsyncGen.defer(() -> {
            boolean[] ended = {false};
            return all.open().select().first(item -> !ended[0]).map(item -> {
                if (counters.bytesRead() <= options.maxTotalBytes()) {
                    return item;
                }
                ended[0] = true;
                String where = item instanceof Ok<RawDoc>(RawDoc doc) ? doc.location()
                        : item instanceof Err<RawDoc>(ErrInfo e) ? e.location() : "";
                return Result.<RawDoc>err(InputUnread.mark(ErrInfo.of(ErrCode.TOO_LARGE, "the inputs of this run are larger than the limit "
                                + "of " + options.maxTotalBytes() + " bytes per job (limits.jobBytes); reading stopped at "
                                + where + "; split the job or ask the operator to raise the limit")
                        .withStage("parse").withKey(where).withLocation(where)));
            });
        });
    }

    private Result<RawDoc> checkMetadata(RawDoc doc) {
        long bytes = 0;
        for (var entry : doc.metadata().entrySet()) {
            bytes += entry.getKey().getBytes(StandardCharsets.UTF_8).length
                    + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes <= options.maxMetadataBytes()) {
            return Result.ok(doc);
        }
        return Result.err(ErrInfo.of(ErrCode.TOO_LARGE, doc.location() + ": the record's metadata is " + bytes
                        + " bytes, more than the limit of " + options.maxMetadataBytes() + " bytes per record "
                        + "(limits.metadataBytes; every chunk carries a copy until it is indexed, the index stores it once per document); keep fewer or shorter metadata fields")
                .withStage("parse").withKey(doc.id()).withLocation(doc.location()));
    }

    private static RawDoc withRoot(RawDoc doc, String root) {
        Map<String, String> metadata = new LinkedHashMap<>(doc.metadata());
        metadata.put(SyncOptions.ROOT_METADATA, root);
        return new RawDoc(doc.id(), doc.location(), doc.text(), metadata, doc.bytes(), doc.replacedChars());
    }
}
