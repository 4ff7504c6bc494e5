package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Embedder;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A deterministic embedder without a model, for tests and quick runs: signed feature hashing of
 * lower-cased words (runs of letters and digits) and of adjacent word pairs (weight 1/2) into
 * {@code dimensions} slots, scaled to unit length. Texts that share words point the same way, so
 * similar texts are closer than unrelated ones; it knows nothing of meaning. A text without any
 * word maps to one fixed unit vector. Same text, same vector, in every JVM.
 *
 * <p>Pair it with {@link WordTokenizer} so runs need no model at all.
 */
public final class HashingEmbedder implements Embedder {

    /** The default vector length, the same as all-MiniLM-L6-v2's. */
    public static final int DEFAULT_DIMENSIONS = 384;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long PAIR_SEED = 0x9e3779b97f4a7c15L;
    private static final long NO_WORD = 0x2545f4914f6cdd1dL;

    private final int dimensions;

    private HashingEmbedder(int dimensions) {
        this.dimensions = dimensions;
    }

    /** A hashing embedder of {@value #DEFAULT_DIMENSIONS} dimensions. */
    public static HashingEmbedder of() {
        return of(DEFAULT_DIMENSIONS);
    }

    /** A hashing embedder of {@code dimensions} dimensions (at least 2). */
    public static HashingEmbedder of(int dimensions) {
        if (dimensions < 2) {
            throw new IllegalArgumentException("dimensions must be at least 2, got " + dimensions);
        }
        return new HashingEmbedder(dimensions);
    }

    @Override
    public String name() {
        return "hash";
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    /** Two: hashing is cheap, more calls in flight would only queue. */
    @Override
    public int parallelism() {
        return 2;
    }

    /** Hashes the texts on Mutiny's worker pool (never on the subscriber's event loop). */
    @Override
    public AsyncPlan<List<float[]>> embed(List<String> texts) {
        List<String> copy = List.copyOf(requireNonNull(texts, "texts"));
        return AsyncPlan.defer(() -> Uni.createFrom().item(() -> Result.ok(vectors(copy)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** The unit-length vector of one text, computed on the calling thread. */
    public float[] vector(String text) {
        requireNonNull(text, "text");
        float[] vector = new float[dimensions];
        long word = FNV_OFFSET;
        long previous = 0;
        boolean inWord = false;
        boolean anyWord = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                word = (word ^ Character.toLowerCase(cp)) * FNV_PRIME;
                inWord = true;
            } else if (inWord) {
                previous = addWord(vector, word, previous, anyWord);
                anyWord = true;
                word = FNV_OFFSET;
                inWord = false;
            }
        }
        if (inWord) {
            addWord(vector, word, previous, anyWord);
            anyWord = true;
        }
        if (!anyWord) {
            add(vector, NO_WORD, 1f);
        }
        return UnitLength.normalise(vector);
    }

    private List<float[]> vectors(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(vector(text));
        }
        return List.copyOf(out);
    }

    private long addWord(float[] vector, long word, long previous, boolean hasPrevious) {
        add(vector, word, 1f);
        if (hasPrevious) {
            add(vector, previous * 31 + Long.rotateLeft(word, 17) + PAIR_SEED, 0.5f);
        }
        return word;
    }

    private void add(float[] vector, long feature, float weight) {
        long h = mix(feature);
        int slot = (int) Long.remainderUnsigned(h >>> 1, dimensions);
        vector[slot] += (h & 1L) == 0 ? weight : -weight;
    }

    /** The murmur3 64-bit finaliser: spreads every input bit over the output. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
