package io.funcpipe.adapters.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.index.MultiBits;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.adapters.embed.WordTokenizer;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.SourceSet;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.core.Err;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Checkpoint;
import io.funcpipe.rag.CheckpointTracker;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.IngestOptions;
import io.funcpipe.rag.IngestPipeline;
import io.funcpipe.rag.IngestReport;
import io.funcpipe.rag.IngestStages;
import io.funcpipe.rag.SyncMode;
import io.funcpipe.rag.SyncOptions;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.clean.Cleaner;

/**
 * The real pieces of a sync, in process and small: a folder read by {@link Sources}, the real
 * cleaner and chunker (short chunks, so documents have several), the hashing embedder and a
 * {@link LuceneVectorIndex}, committed every few chunks; and what an index holds, read back.
 */
final class SyncCorpus {

    static final ChunkerOptions CHUNKING = new ChunkerOptions(24, 0);

    private SyncCorpus() {
    }

    /** Ingests {@code corpus} into {@code index} with {@code mode}; fails on any item error. */
    static IngestReport ingest(Path corpus, Path index, SyncMode mode) {
        HashingEmbedder embedder = HashingEmbedder.of();
        SourceSet source = Sources.open(List.of(corpus.toString()), SourceOptions.defaults(), null);
        LuceneVectorIndex vectors = LuceneVectorIndex.open(index, embedder.dimensions())
                .fold(i -> i, e -> {
                    throw new IllegalStateException(e.message());
                });
        try (vectors) {
            Chunker chunker = new Chunker(WordTokenizer.of(), CHUNKING);
            IngestStages stages = new IngestStages(source, Cleaner::clean, chunker::chunk, embedder, vectors);
            IngestCounters counters = new IngestCounters();
            IngestOptions options = new IngestOptions(2, 3, Duration.ofMillis(20), 4);
            List<Result<Chunk>> items = IngestPipeline.describe(stages, options,
                            new SyncOptions(mode, CHUNKING.label(), source.roots()), counters,
                            new CheckpointTracker(Checkpoint.start("sync-test"), Clock.systemUTC()))
                    .collectAll().await().atMost(Duration.ofSeconds(120));
            for (Result<Chunk> item : items) {
                if (item instanceof Err<Chunk>(var e)) {
                    throw new AssertionError("an item failed: " + e);
                }
            }
            return IngestReport.of(counters, 0, embedder);
        }
    }

    /** Every live chunk of the committed index: id -> "docId|text". */
    static Map<String, String> chunks(Path index) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (FSDirectory dir = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(dir)) {
            Bits live = MultiBits.getLiveDocs(reader);
            StoredFields stored = reader.storedFields();
            for (int i = 0; i < reader.maxDoc(); i++) {
                if (live != null && !live.get(i)) {
                    continue;
                }
                Document doc = stored.document(i);
                if (doc.get(LuceneFields.ID) != null) {
                    out.put(doc.get(LuceneFields.ID), doc.get(LuceneFields.DOC_ID) + "|" + doc.get(LuceneFields.TEXT));
                }
            }
        }
        return out;
    }

    /** The document ids of the records the committed index holds. */
    static List<String> records(Path index) throws IOException {
        List<String> out = new ArrayList<>();
        try (FSDirectory dir = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(dir)) {
            Bits live = MultiBits.getLiveDocs(reader);
            StoredFields stored = reader.storedFields();
            for (int i = 0; i < reader.maxDoc(); i++) {
                if ((live == null || live.get(i)) && stored.document(i).get(DocumentFields.ROOT) != null) {
                    out.add(stored.document(i).get(LuceneFields.DOC_ID));
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
