package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.funcpipe.core.AsyncGen;
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

    SourceSet(List<DocSource> sources, List<String> roots, SourceCounters counters) {
        this.sources = List.copyOf(sources);
        this.roots = List.copyOf(roots);
        this.counters = requireNonNull(counters, "counters");
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

    /** Every source's documents in turn, each tagged with its source's root ({@link SyncOptions#ROOT_METADATA}). */
    @Override
    public AsyncGen<RawDoc> docs() {
        return AsyncGen.fromIterable(java.util.stream.IntStream.range(0, sources.size()).boxed().toList())
                .flatMap(i -> sources.get(i).docs().map(doc -> withRoot(doc, roots.get(i))));
    }

    private static RawDoc withRoot(RawDoc doc, String root) {
        Map<String, String> metadata = new LinkedHashMap<>(doc.metadata());
        metadata.put(SyncOptions.ROOT_METADATA, root);
        return new RawDoc(doc.id(), doc.location(), doc.text(), metadata, doc.bytes(), doc.replacedChars());
    }
}
