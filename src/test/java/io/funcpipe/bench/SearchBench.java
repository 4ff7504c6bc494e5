package io.funcpipe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.QueryPlan;
import io.funcpipe.rag.SearchHit;
import io.funcpipe.rag.SearchMode;
import io.funcpipe.rag.SearchQuery;

/**
 * Search latency, one query at a time, k = 10, in each mode ({@code vector}, {@code keyword},
 * {@code hybrid}) over one index of CHUNKS chunks: each chunk a window of 40 to 80 consecutive
 * words at a random place of the corpus (every text file of DIR), embedded with the hashing
 * embedder (384 dims; the model does not matter to the index). The queries are windows of 3 to 8
 * words, the same for every mode; each mode is warmed up first, then every query's time is taken
 * through {@link QueryPlan} (embedding the query included) on a read-only index, as
 * {@code funcpipe query} runs it. Prints the build time and p50, p90, p99 and mean per mode.
 *
 * <p>Usage: {@code SearchBench DIR CHUNKS QUERIES INDEX_DIR}; an existing INDEX_DIR with CHUNKS
 * chunks is reused (delete it to rebuild).
 */
public final class SearchBench {

    private static final int K = 10;
    private static final long SEED = 20261202L;

    private SearchBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: SearchBench DIR CHUNKS QUERIES INDEX_DIR");
        }
        Path dir = Path.of(args[0]);
        int chunks = Integer.parseInt(args[1]);
        int queries = Integer.parseInt(args[2]);
        Path indexDir = Path.of(args[3]);
        String[] words = corpus(dir);
        HashingEmbedder embedder = HashingEmbedder.of();
        System.out.printf(Locale.ROOT, "corpus: %,d words from %s; embedder %s (%d dims); k = %d%n", words.length, dir,
                embedder.name(), embedder.dimensions(), K);
        build(indexDir, words, chunks, embedder);
        Random random = new Random(SEED + 1);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            texts.add(window(words, random, 3, 8));
        }
        try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(indexDir).fold(i -> i, e -> {
            throw new IllegalStateException(e.message());
        })) {
            System.out.printf(Locale.ROOT, "index: %,d chunks at %s%n", index.count(), indexDir);
            System.out.printf(Locale.ROOT, "%-8s %8s %10s %10s %10s %10s %10s%n", "mode", "queries", "p50 ms", "p90 ms",
                    "p99 ms", "mean ms", "hits/query");
            for (SearchMode mode : SearchMode.values()) {
                run(embedder, index, mode, texts.subList(0, Math.min(200, texts.size())), null);
                long[] nanos = new long[texts.size()];
                long[] hits = new long[1];
                run(embedder, index, mode, texts, (i, took, found) -> {
                    nanos[i] = took;
                    hits[0] += found;
                });
                Arrays.sort(nanos);
                System.out.printf(Locale.ROOT, "%-8s %8d %10.2f %10.2f %10.2f %10.2f %10.1f%n", mode.label(), nanos.length,
                        ms(percentile(nanos, 50)), ms(percentile(nanos, 90)), ms(percentile(nanos, 99)),
                        ms(Arrays.stream(nanos).average().orElse(0)), (double) hits[0] / nanos.length);
            }
        }
        System.exit(0); // Mutiny's worker threads (the hashing embedder runs there) would keep the JVM up
    }

    private interface Timing {
        void took(int query, long nanos, int hits);
    }

    private static void run(HashingEmbedder embedder, LuceneVectorIndex index, SearchMode mode, List<String> texts,
                            Timing timing) {
        for (int i = 0; i < texts.size(); i++) {
            SearchQuery query = SearchQuery.text(texts.get(i), K, mode);
            long start = System.nanoTime();
            Result<List<SearchHit>> result = QueryPlan.describe(embedder, index, query).open().await().indefinitely();
            long took = System.nanoTime() - start;
            List<SearchHit> hits = result.fold(h -> h, e -> {
                throw new IllegalStateException(mode.label() + " query '" + query.text().orElseThrow() + "' failed: "
                        + e.message());
            });
            if (timing != null) {
                timing.took(i, took, hits.size());
            }
        }
    }

    private static void build(Path indexDir, String[] words, int chunks, HashingEmbedder embedder) {
        if (Files.isDirectory(indexDir)) {
            try (LuceneVectorIndex existing = LuceneVectorIndex.openReadOnly(indexDir).fold(i -> i, e -> null)) {
                if (existing != null && existing.count() == chunks) {
                    System.out.printf(Locale.ROOT, "reusing the index at %s%n", indexDir);
                    return;
                }
            }
        }
        Random random = new Random(SEED);
        long start = System.nanoTime();
        try (LuceneVectorIndex index = LuceneVectorIndex.open(indexDir, embedder.dimensions()).fold(i -> i, e -> {
            throw new IllegalStateException(e.message());
        })) {
            List<EmbeddedChunk> batch = new ArrayList<>();
            for (int i = 0; i < chunks; i++) {
                String text = window(words, random, 40, 80);
                Chunk chunk = new Chunk("c" + i, "d" + i / 10, "bench:" + i, i % 10, text, 60,
                        Map.of("year", Integer.toString(1790 + i % 230)));
                batch.add(new EmbeddedChunk(chunk, embedder.vector(text)));
                if (batch.size() == 1000 || i == chunks - 1) {
                    index.upsert(List.copyOf(batch)).open().await().indefinitely().fold(n -> n, e -> {
                        throw new IllegalStateException(e.message());
                    });
                    batch.clear();
                }
            }
            index.commit().open().await().indefinitely();
        }
        System.out.printf(Locale.ROOT, "built the index: %,d chunks in %.1f s (HNSW graph and BM25 postings, one writer)%n",
                chunks, (System.nanoTime() - start) / 1e9);
    }

    private static String window(String[] words, Random random, int min, int max) {
        int length = min + random.nextInt(max - min + 1);
        int from = random.nextInt(words.length - length);
        return String.join(" ", Arrays.copyOfRange(words, from, from + length));
    }

    private static String[] corpus(Path dir) throws IOException {
        List<String> words = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                for (String w : Files.readString(file, StandardCharsets.UTF_8).split("\\s+")) {
                    if (!w.isEmpty()) {
                        words.add(w);
                    }
                }
            }
        }
        if (words.size() < 1000) {
            throw new IllegalArgumentException("the corpus at " + dir + " has " + words.size() + " words; give a folder "
                    + "of .txt files with at least 1000");
        }
        return words.toArray(String[]::new);
    }

    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(double nanos) {
        return nanos / 1e6;
    }
}
