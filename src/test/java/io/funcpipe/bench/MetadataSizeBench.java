package io.funcpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.MetadataFilter;
import io.funcpipe.rag.SearchHit;

/**
 * Index bytes on disk for RECORDS records of CHUNKS chunks each, with METADATA_BYTES of metadata per
 * record, three ways: without metadata, with it as {@link LuceneVectorIndex#upsert} stores it (once
 * per document), and with it copied into every chunk as the index stored it before (a replica of
 * that layout written with Lucene's own writer here: the same chunk fields plus {@code meta.<key>}
 * stored keywords and {@code metanum.<key>} points per chunk). Each chunk is 60 words drawn from a
 * fixed vocabulary, embedded with the hashing embedder (384 dimensions); the metadata is a number
 * field ({@code n}, the record's number) and fields of 400 characters of words (indexed keywords)
 * up to METADATA_BYTES. Prints each size and the per-record difference, and checks that a filter
 * on {@code n} finds one record's CHUNKS chunks with their metadata; then times filtered vector
 * searches (k = 10) on the two indexes with metadata, with a filter that one record meets and one
 * that half of them meet (p50 and mean of {@value #QUERIES} searches, one at a time).
 *
 * <p>Usage: {@code MetadataSizeBench RECORDS CHUNKS METADATA_BYTES WORK_DIR} (WORK_DIR is emptied).
 */
public final class MetadataSizeBench {

    private static final long SEED = 20261202L;
    private static final int FIELD_CHARS = 400;
    private static final int BATCH = 64;
    private static final int QUERIES = 200;

    private MetadataSizeBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: MetadataSizeBench RECORDS CHUNKS METADATA_BYTES WORK_DIR");
        }
        int records = Integer.parseInt(args[0]);
        int chunks = Integer.parseInt(args[1]);
        int metadataBytes = Integer.parseInt(args[2]);
        Path work = Path.of(args[3]);
        deleteTree(work);
        HashingEmbedder embedder = HashingEmbedder.of();
        System.out.printf(Locale.ROOT, "%,d records x %,d chunks (60 words each), %,d bytes of metadata per record; "
                + "embedder %s (%d dims)%n", records, chunks, metadataBytes, embedder.name(), embedder.dimensions());
        long none = upserted(work.resolve("none"), records, chunks, 0, embedder);
        long once = upserted(work.resolve("once"), records, chunks, metadataBytes, embedder);
        long perChunk = oldLayout(work.resolve("per-chunk"), records, chunks, metadataBytes, embedder);
        System.out.printf(Locale.ROOT, "no metadata:                   %,14d bytes%n", none);
        System.out.printf(Locale.ROOT, "metadata once per document:    %,14d bytes  (+%,d bytes per record)%n", once,
                (once - none) / records);
        System.out.printf(Locale.ROOT, "metadata in every chunk (old): %,14d bytes  (+%,d bytes per record)%n", perChunk,
                (perChunk - none) / records);
        List<List<MetadataFilter>> filters = List.of(List.of(MetadataFilter.between("n", records / 2, records / 2)),
                List.of(MetadataFilter.between("n", 0, (records - 1) / 2)));
        // both merged into one segment, so that the searches compare the layouts, not how many segments each writer left
        mergeToOne(work.resolve("once"));
        mergeToOne(work.resolve("per-chunk"));
        for (List<MetadataFilter> filter : filters) {
            String oldLatency = latency(work.resolve("per-chunk"), filter, embedder);
            String onceLatency = latency(work.resolve("once"), filter, embedder);
            System.out.printf(Locale.ROOT, "filtered vector search k=10 where %s: once per document %s; in every chunk (old) %s%n",
                    filter, onceLatency, oldLatency);
        }
        deleteTree(work);
    }

    /** The record's metadata: {@code n} and {@code f0, f1, ...} of {@value #FIELD_CHARS} characters, about {@code bytes} in all. */
    private static Map<String, String> metadata(int record, int bytes, Random random) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (bytes == 0) {
            return metadata;
        }
        metadata.put("n", Integer.toString(record));
        int used = 1 + metadata.get("n").length();
        for (int f = 0; used < bytes; f++) {
            String key = "f" + f;
            String value = words(random, Math.min(FIELD_CHARS, Math.max(1, bytes - used - key.length())));
            metadata.put(key, value);
            used += key.length() + value.length();
        }
        return metadata;
    }

    private static final String[] VOCABULARY = vocabulary();

    private static String[] vocabulary() {
        Random random = new Random(SEED);
        String[] words = new String[5000];
        for (int i = 0; i < words.length; i++) {
            StringBuilder w = new StringBuilder();
            int length = 3 + random.nextInt(8);
            for (int c = 0; c < length; c++) {
                w.append((char) ('a' + random.nextInt(26)));
            }
            words[i] = w.toString();
        }
        return words;
    }

    private static String words(Random random, int chars) {
        StringBuilder text = new StringBuilder(chars + 12);
        while (text.length() < chars) {
            text.append(VOCABULARY[random.nextInt(VOCABULARY.length)]).append(' ');
        }
        return text.substring(0, chars);
    }

    private static List<EmbeddedChunk> record(int record, int chunks, int metadataBytes, HashingEmbedder embedder) {
        Random random = new Random(SEED + record);
        Map<String, String> metadata = metadata(record, metadataBytes, random);
        List<EmbeddedChunk> out = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            String text = words(random, 60 * 7);
            String docId = "r" + record;
            out.add(new EmbeddedChunk(new Chunk(docId + "#" + c, docId, "records.csv:" + (record + 2), c, text, 60, metadata),
                    embedder.vector(text)));
        }
        return out;
    }

    private static long upserted(Path dir, int records, int chunks, int metadataBytes, HashingEmbedder embedder) {
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, embedder.dimensions()).fold(i -> i, e -> {
            throw new IllegalStateException(e.message());
        })) {
            List<EmbeddedChunk> batch = new ArrayList<>(BATCH);
            for (int r = 0; r < records; r++) {
                for (EmbeddedChunk chunk : record(r, chunks, metadataBytes, embedder)) {
                    batch.add(chunk);
                    if (batch.size() == BATCH) {
                        upsert(index, batch);
                    }
                }
            }
            upsert(index, batch);
            index.commit().open().await().indefinitely();
            if (metadataBytes > 0) {
                check(index, records / 2, chunks, embedder);
            }
        }
        return bytes(dir);
    }

    private static void upsert(LuceneVectorIndex index, List<EmbeddedChunk> batch) {
        if (batch.isEmpty()) {
            return;
        }
        index.upsert(List.copyOf(batch)).open().await().indefinitely().fold(n -> n, e -> {
            throw new IllegalStateException(e.message());
        });
        batch.clear();
    }

    private static void check(LuceneVectorIndex index, int record, int chunks, HashingEmbedder embedder) {
        List<SearchHit> hits = index.search(embedder.vector("anything"), chunks + 5,
                        List.of(MetadataFilter.between("n", record, record)))
                .open().await().indefinitely().fold(h -> h, e -> {
                    throw new IllegalStateException(e.message());
                });
        boolean right = hits.size() == chunks && hits.stream().allMatch(h -> h.docId().equals("r" + record)
                && Integer.toString(record).equals(h.metadata().get("n")) && h.metadata().containsKey("f0"));
        if (!right) {
            throw new IllegalStateException("the filter n=" + record + " found " + hits.size() + " hits, expected "
                    + chunks + " of record r" + record + " with its metadata");
        }
        System.out.printf(Locale.ROOT, "check: filter n=%d..%d finds the %d chunks of r%d, each with its %d metadata "
                + "entries%n", record, record, hits.size(), record, hits.getFirst().metadata().size());
    }

    /** p50 and mean of {@value #QUERIES} filtered searches (after as many to warm up), one at a time, on a read-only index. */
    private static String latency(Path dir, List<MetadataFilter> filter, HashingEmbedder embedder) {
        try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(dir).fold(i -> i, e -> {
            throw new IllegalStateException(e.message());
        })) {
            Random random = new Random(SEED - 1);
            long[] nanos = new long[QUERIES];
            for (int round = 0; round < 2; round++) {
                for (int q = 0; q < QUERIES; q++) {
                    float[] vector = embedder.vector(words(random, 40));
                    long start = System.nanoTime();
                    index.search(vector, 10, filter).open().await().indefinitely().fold(h -> h, e -> {
                        throw new IllegalStateException(e.message());
                    });
                    nanos[q] = System.nanoTime() - start;
                }
            }
            long[] sorted = nanos.clone();
            java.util.Arrays.sort(sorted);
            return String.format(Locale.ROOT, "p50 %.2f ms, mean %.2f ms", sorted[QUERIES / 2] / 1e6,
                    java.util.Arrays.stream(nanos).average().orElse(0) / 1e6);
        }
    }

    private static void mergeToOne(Path dir) throws IOException {
        try (FSDirectory directory = FSDirectory.open(dir);
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            writer.forceMerge(1);
            writer.commit();
        }
    }

    /** The chunks as the index laid them out before metadata was stored once per document. */
    private static long oldLayout(Path dir, int records, int chunks, int metadataBytes, HashingEmbedder embedder)
            throws IOException {
        try (FSDirectory directory = FSDirectory.open(Files.createDirectories(dir));
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            for (int r = 0; r < records; r++) {
                for (EmbeddedChunk embedded : record(r, chunks, metadataBytes, embedder)) {
                    Chunk chunk = embedded.chunk();
                    Document doc = new Document();
                    doc.add(new StringField("id", chunk.id(), Field.Store.YES));
                    doc.add(new StringField("docId", chunk.docId(), Field.Store.YES));
                    doc.add(new StoredField("location", chunk.location()));
                    doc.add(new StoredField("text", chunk.text()));
                    doc.add(new TextField("words", chunk.text(), Field.Store.NO));
                    doc.add(new StoredField("position", chunk.position()));
                    chunk.metadata().forEach((key, value) -> {
                        doc.add(new StringField("meta." + key, value, Field.Store.YES));
                        try {
                            doc.add(new DoublePoint("metanum." + key, Double.parseDouble(value)));
                        } catch (NumberFormatException text) {
                            // a text value: no point
                        }
                    });
                    doc.add(new KnnFloatVectorField("vector", embedded.vector(), VectorSimilarityFunction.COSINE));
                    writer.updateDocument(new Term("id", chunk.id()), doc);
                }
            }
            writer.commit();
        }
        return bytes(dir);
    }

    private static long bytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
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
