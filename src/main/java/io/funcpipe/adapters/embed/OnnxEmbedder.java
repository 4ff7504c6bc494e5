package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.rag.Embedder;

/**
 * An {@link OnnxModel} in process, on ONNX Runtime, with the model and tokenizer from its LangChain4j
 * model jar (nothing is downloaded). {@link OnnxModel#MINILM} (all-MiniLM-L6-v2) is the default.
 *
 * <p>Arrangement, the fastest measured on a small CPU box: the model bytes are read once (into a
 * direct buffer, off the Java heap) into one single-threaded session, run at once by N lanes (N =
 * available processors by default), each worked by its own thread of a pool of exactly N threads,
 * each fed one text at a time (batch size 1, so there is no padding). The lanes share the session's
 * weights: memory does not grow with N. Each vector is pooled as the model expects (mean over the
 * attention mask, or [CLS]) and scaled to unit length, like the model's sentence-transformers
 * pipeline and LangChain4j's.
 *
 * <p>Inputs longer than the model's window ({@link OnnxModel#window()}) are truncated to it as
 * LangChain4j's packaged tokenizer does (the first pieces, then [SEP]) and counted in
 * {@link #truncations()}; chunks sized with {@link #tokenizer()} never are.
 *
 * <pre>{@code
 * try (OnnxEmbedder embedder = OnnxEmbedder.load(OnnxModel.MINILM_Q, 2)) {
 *     List<float[]> vectors = embedder.embed(List.of("a cat sat")).open().await().indefinitely()
 *             .fold(v -> v, err -> { throw new IllegalStateException(err.message()); });
 * }
 * }</pre>
 */
public final class OnnxEmbedder implements Embedder {

    /** The length of every vector. */
    public static final int DIMENSIONS = OnnxModel.DIMENSIONS;

    private static final System.Logger LOG = System.getLogger(OnnxEmbedder.class.getName());

    private final OnnxModel model;
    private final WordPieceTokenizer tokenizer;
    private final SessionLanes lanes;
    private final Duration loadTime;
    private final LongAdder truncations = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxEmbedder(OnnxModel model, WordPieceTokenizer tokenizer, SessionLanes lanes, Duration loadTime) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.lanes = lanes;
        this.loadTime = loadTime;
    }

    /** Loads all-MiniLM-L6-v2 with one lane per available processor. */
    public static OnnxEmbedder load() {
        return load(Runtime.getRuntime().availableProcessors());
    }

    /** Loads all-MiniLM-L6-v2 with {@code lanes} lanes; see {@link #load(OnnxModel, int)}. */
    public static OnnxEmbedder load(int lanes) {
        return load(OnnxModel.MINILM, lanes);
    }

    /**
     * Loads {@code model} into one single-threaded session that {@code lanes} worker threads run at
     * once, each with a lane (its input and output buffers) of its own.
     *
     * @throws IllegalArgumentException if {@code lanes} is not positive
     * @throws IllegalStateException    if the model or tokenizer cannot be loaded (for example the
     *                                  model jar is not on the classpath)
     */
    public static OnnxEmbedder load(OnnxModel model, int lanes) {
        requireNonNull(model, "model");
        if (lanes <= 0) {
            throw new IllegalArgumentException("lanes must be positive, got " + lanes);
        }
        long start = System.nanoTime();
        // The tokenizer (a native library) loads on a thread of its own while the model is read and
        // its session created: the two take about as long, so a one-shot command waits for one.
        CompletableFuture<WordPieceTokenizer> loading = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("funcpipe-load-tokenizer").start(() -> {
            try {
                loading.complete(WordPieceTokenizer.load(model));
            } catch (RuntimeException | LinkageError e) {
                loading.completeExceptionally(e);
            }
        });
        ByteBuffer bytes;
        OnnxSession session;
        try {
            bytes = readModel(model);
            session = OnnxSession.create(OrtEnvironment.getEnvironment(), bytes, model.pooling(), model.window());
        } catch (OrtException | RuntimeException | LinkageError e) {
            loading.thenAccept(WordPieceTokenizer::close);
            throw e instanceof IllegalStateException || e instanceof UncheckedIOException ? (RuntimeException) e
                    : new IllegalStateException("could not create an ONNX session for " + model.modelResource() + ": "
                    + e.getMessage(), e);
        }
        WordPieceTokenizer tokenizer;
        try {
            tokenizer = loading.join();
        } catch (CompletionException e) {
            closeQuietly(session);
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(
                    "could not load the tokenizer of " + model.displayName() + ": " + e.getCause(), e.getCause());
        }
        Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
        LOG.log(Level.INFO, "loaded {0} ({1} MB) into one single-threaded ONNX session with {2} lanes in {3} ms",
                model.displayName(), bytes.capacity() >> 20, lanes, loadTime.toMillis());
        return new OnnxEmbedder(model, tokenizer, new SessionLanes(session, lanes, "funcpipe-" + model.label()), loadTime);
    }

    /** The model's label: {@code minilm}, {@code minilm-q}, {@code bge-small-q}. */
    @Override
    public String name() {
        return model.label();
    }

    /** The model this embedder runs. */
    public OnnxModel model() {
        return model;
    }

    /** The query with the prefix the model expects on queries (BGE's instruction; none for MiniLM). */
    @Override
    public String queryText(String query) {
        return model.queryPrefix() + requireNonNull(query, "query");
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    /** The number of lanes (and worker threads). */
    @Override
    public int parallelism() {
        return lanes.lanes();
    }

    /**
     * Embeds the texts over the lanes, in order. Nothing runs until the plan is opened and
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

    /** How long {@link #load} took: reading the model, the tokenizer, and creating the session. */
    public Duration loadTime() {
        return loadTime;
    }

    /** The tokenizer this embedder uses; valid until the embedder is closed. */
    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    /** Lets queued work finish, then releases the pool, the session and the tokenizer. Idempotent. */
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

    private float[] embedOne(OnnxSession.Lane lane, String text) throws OrtException {
        long[] ids = tokenizer.ids(text);
        int window = model.window();
        if (ids.length > window) {
            truncations.increment();
            long sep = ids[ids.length - 1];
            ids = Arrays.copyOf(ids, window);
            ids[ids.length - 1] = sep;
        }
        return lane.embed(ids);
    }

    /**
     * The model file, read once into a direct buffer of its exact size: off the Java heap (which
     * would otherwise grow by twice the model while it is read), freed once the session holds it.
     */
    private static ByteBuffer readModel(OnnxModel model) {
        String resource = model.modelResource();
        URL url = OnnxEmbedder.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("model resource " + resource + " is not on the classpath: add "
                    + model.artifact() + " to the dependencies");
        }
        try {
            URLConnection connection = url.openConnection();
            long size = connection.getContentLengthLong();
            try (InputStream in = connection.getInputStream()) {
                if (size < 0 || size > Integer.MAX_VALUE) {
                    byte[] bytes = in.readAllBytes();
                    return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
                }
                ByteBuffer buffer = ByteBuffer.allocateDirect((int) size);
                byte[] block = new byte[1 << 16];
                for (int n; (n = in.read(block, 0, Math.min(block.length, buffer.remaining()))) > 0; ) {
                    buffer.put(block, 0, n);
                }
                if (buffer.hasRemaining() || in.read() >= 0) {
                    throw new IOException("the resource is not " + size + " bytes long as its jar says");
                }
                return buffer.flip();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read model resource " + resource + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OnnxSession session) {
        try {
            session.close();
        } catch (OrtException | RuntimeException e) {
            LOG.log(Level.WARNING, "closing the ONNX session after the tokenizer failed to load failed: " + e, e);
        }
    }
}
