package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.rag.DocSource;
import io.funcpipe.rag.RawDoc;

/**
 * Several sources read one after the other, in the order given, sharing one set of
 * {@link SourceCounters} the caller can poll for progress.
 */
public final class SourceSet implements DocSource {

    private final List<DocSource> sources;
    private final SourceCounters counters;

    SourceSet(List<DocSource> sources, SourceCounters counters) {
        this.sources = List.copyOf(sources);
        this.counters = requireNonNull(counters, "counters");
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

    @Override
    public AsyncGen<RawDoc> docs() {
        return AsyncGen.fromIterable(sources).flatMap(DocSource::docs);
    }
}
