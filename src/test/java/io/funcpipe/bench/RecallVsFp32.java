package io.funcpipe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.embed.OnnxEmbedder;
import io.funcpipe.adapters.embed.OnnxModel;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.clean.Cleaner;

/**
 * What the int8 model costs in retrieval: every file of DIR is chunked as {@code funcpipe ingest}
 * chunks it and embedded by the fp32 all-MiniLM-L6-v2 and by MODEL ({@code minilm-q} by default);
 * QUERIES sentences sampled from the corpus (a fixed seed, 8 to 40 words) are embedded by both, and
 * for each query the 10 nearest chunks under MODEL are compared with the 10 nearest under fp32
 * (exact search, so only the model differs). Prints recall@10 (mean share of the fp32 top 10 that
 * MODEL also returns), top-1 agreement and the cosine between the two models' chunk vectors.
 *
 * <p>Usage: {@code RecallVsFp32 DIR [QUERIES=200] [MODEL=minilm-q] [SESSIONS=cores]}.
 */
public final class RecallVsFp32 {

    private static final int K = 10;

    private RecallVsFp32() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: RecallVsFp32 DIR [QUERIES=200] [MODEL=minilm-q] [SESSIONS=cores]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        OnnxModel candidate = EmbedderSpec.Kind.parse(args.length > 2 ? args[2] : "minilm-q").onnxModel().orElseThrow();
        int sessions = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        if (candidate.window() != OnnxModel.MINILM.window()) {
            throw new IllegalArgumentException(candidate.label() + " has another window: its chunks would differ");
        }
        List<String> inputs;
        try (Stream<Path> listing = Files.list(dir)) {
            inputs = listing.filter(p -> p.toString().endsWith(".txt")).sorted(Comparator.comparing(Path::toString))
                    .map(Path::toString).toList();
        }
        try (OnnxEmbedder fp32 = OnnxEmbedder.load(OnnxModel.MINILM, sessions);
             OnnxEmbedder other = OnnxEmbedder.load(candidate, sessions)) {
            Chunker chunker = new Chunker(fp32.tokenizer(), ChunkerOptions.defaults());
            List<String> chunks = new ArrayList<>();
            for (Result<Chunk> r : Sources.open(inputs, SourceOptions.defaults(), null).docs()
                    .mapResult(Cleaner::clean).mapResult(chunker::chunk).flatMap(AsyncGen::fromIterable)
                    .collectAll().await().indefinitely()) {
                if (r instanceof Ok<Chunk>(Chunk c)) {
                    chunks.add(c.text());
                }
            }
            List<String> sample = sampleSentences(chunks, queries);
            System.out.printf(Locale.ROOT, "%d files of %s: %d chunks; %d query sentences (seed 42); %s against %s%n",
                    inputs.size(), dir, chunks.size(), sample.size(), candidate.label(), OnnxModel.MINILM.label());

            long t0 = System.nanoTime();
            float[][] a = embed(fp32, chunks);
            double fp32Seconds = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            float[][] b = embed(other, chunks);
            double otherSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "embedded the chunks: %s %.1f s, %s %.1f s (%.2fx)%n", OnnxModel.MINILM.label(),
                    fp32Seconds, candidate.label(), otherSeconds, fp32Seconds / otherSeconds);
            float[][] qa = embed(fp32, sample.stream().map(fp32::queryText).toList());
            float[][] qb = embed(other, sample.stream().map(other::queryText).toList());

            double recallSum = 0;
            double recallMin = 1;
            double fp32QueryRecallSum = 0;
            int top1 = 0;
            int perfect = 0;
            for (int q = 0; q < sample.size(); q++) {
                int[] expected = topK(qa[q], a);
                int[] got = topK(qb[q], b);
                fp32QueryRecallSum += overlap(expected, topK(qa[q], b)) / (double) K;
                int overlap = 0;
                for (int e : expected) {
                    for (int g : got) {
                        if (e == g) {
                            overlap++;
                        }
                    }
                }
                double recall = overlap / (double) K;
                recallSum += recall;
                recallMin = Math.min(recallMin, recall);
                top1 += expected[0] == got[0] ? 1 : 0;
                perfect += overlap == K ? 1 : 0;
            }
            double cosMin = 1;
            double cosSum = 0;
            for (int i = 0; i < a.length; i++) {
                double c = dot(a[i], b[i]);
                cosMin = Math.min(cosMin, c);
                cosSum += c;
            }
            double recall = recallSum / sample.size();
            System.out.printf(Locale.ROOT, "recall@%d of %s against %s neighbours: %.3f (min %.1f; all 10 found for %d of %d queries; "
                            + "same top-1 for %d) (target >= 0.90: %s)%n", K, candidate.label(), OnnxModel.MINILM.label(),
                    recall, recallMin, perfect, sample.size(), top1, recall >= 0.90 ? "met" : "NOT met");
            System.out.printf(Locale.ROOT, "recall@%d with the query embedded by %s, the chunks by %s: %.3f%n", K,
                    OnnxModel.MINILM.label(), candidate.label(), fp32QueryRecallSum / sample.size());
            System.out.printf(Locale.ROOT, "cosine of each chunk's two vectors: mean %.4f, min %.4f%n", cosSum / a.length, cosMin);
        }
        System.exit(0);
    }

    /** {@code n} distinct sentences of 8 to 40 words from the chunks, chosen with a fixed seed. */
    private static List<String> sampleSentences(List<String> chunks, int n) {
        List<String> sentences = new ArrayList<>();
        for (String chunk : chunks) {
            for (String s : chunk.split("(?<=[.!?])\\s+")) {
                int words = s.trim().split("\\s+").length;
                if (words >= 8 && words <= 40) {
                    sentences.add(s.trim());
                }
            }
        }
        List<String> distinct = sentences.stream().distinct().toList();
        List<String> shuffled = new ArrayList<>(distinct);
        java.util.Collections.shuffle(shuffled, new Random(42));
        return shuffled.subList(0, Math.min(n, shuffled.size()));
    }

    private static float[][] embed(OnnxEmbedder embedder, List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        int batch = 256;
        for (int i = 0; i < texts.size(); i += batch) {
            List<float[]> part = embedder.embed(texts.subList(i, Math.min(texts.size(), i + batch))).open().await()
                    .indefinitely().fold(v -> v, e -> {
                        throw new IllegalStateException(e.message());
                    });
            out.addAll(part);
        }
        return out.toArray(float[][]::new);
    }

    /** The indexes of the {@value #K} vectors closest to {@code query} (unit vectors: dot = cosine), best first. */
    private static int[] topK(float[] query, float[][] vectors) {
        int[] best = new int[K];
        double[] scores = new double[K];
        java.util.Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < vectors.length; i++) {
            double s = dot(query, vectors[i]);
            if (s > scores[K - 1]) {
                int j = K - 1;
                while (j > 0 && scores[j - 1] < s) {
                    scores[j] = scores[j - 1];
                    best[j] = best[j - 1];
                    j--;
                }
                scores[j] = s;
                best[j] = i;
            }
        }
        return best;
    }

    private static int overlap(int[] expected, int[] got) {
        int overlap = 0;
        for (int e : expected) {
            for (int g : got) {
                if (e == g) {
                    overlap++;
                }
            }
        }
        return overlap;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
