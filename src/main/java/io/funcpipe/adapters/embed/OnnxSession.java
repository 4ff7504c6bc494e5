package io.funcpipe.adapters.embed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * One single-threaded ONNX Runtime session of an {@link OnnxModel} (intra-op and inter-op threads 1),
 * shared by every {@link Lane}: ONNX Runtime runs a session from several threads at once, each run on
 * its calling thread, so N lanes on N threads work in parallel over one copy of the model's weights
 * (one session per lane would hold N copies: about 90 MB each for the fp32 MiniLM).
 *
 * <p>A lane turns one sequence of input ids into a pooled (mean or [CLS]), L2-normalised vector.
 * Nothing is copied or allocated per text but the tensor handles and the vector: the inputs are
 * written into direct buffers of the window's size that the input tensors wrap, and the model writes
 * its token vectors into a direct output buffer of the lane (a pinned output), which pooling reads in
 * place. A lane is not thread-safe: one worker thread uses it at a time.
 */
final class OnnxSession implements AutoCloseable {

    private final OrtEnvironment environment;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final boolean takesTypeIds;
    private final OnnxModel.Pooling pooling;
    private final String output;
    private final int dims;
    private final int window;

    private OnnxSession(OrtEnvironment environment, OrtSession.SessionOptions options, OrtSession session,
                        OnnxModel.Pooling pooling, int window) throws OrtException {
        this.environment = environment;
        this.options = options;
        this.session = session;
        this.pooling = pooling;
        this.window = window;
        this.takesTypeIds = session.getInputNames().contains("token_type_ids");
        this.output = session.getOutputNames().iterator().next();
        long[] outShape = ((TensorInfo) session.getOutputInfo().get(output).getInfo()).getShape();
        if (outShape.length != 3 || outShape[2] <= 0) {
            throw new IllegalStateException("the model's first output " + output + " is not [batch, tokens, dims]: "
                    + Arrays.toString(outShape));
        }
        this.dims = (int) outShape[2];
    }

    /** A session of the model in {@code model}, for inputs of up to {@code window} tokens. */
    static OnnxSession create(OrtEnvironment environment, ByteBuffer model, OnnxModel.Pooling pooling, int window)
            throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = null;
        try {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(model, options);
            return new OnnxSession(environment, options, session, pooling, window);
        } catch (OrtException | RuntimeException e) {
            if (session != null) {
                session.close();
            }
            options.close();
            throw e;
        }
    }

    /** A new lane of this session, with buffers of its own; valid until the session is closed. */
    Lane lane() {
        return new Lane();
    }

    private static LongBuffer longs(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    /** One thread's way into the session: its input and output buffers. */
    final class Lane {

        private final LongBuffer ids = longs(window);
        private final LongBuffer ones = longs(window);
        private final LongBuffer zeros = longs(window);
        private final FloatBuffer hidden =
                ByteBuffer.allocateDirect(window * dims * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();

        private Lane() {
            for (int i = 0; i < window; i++) {
                ones.put(i, 1L);
            }
        }

        /**
         * The unit-length embedding of one sequence (batch size 1, so every position is attended).
         *
         * @throws IllegalArgumentException if {@code tokens} is empty or longer than the window
         */
        float[] embed(long[] tokens) throws OrtException {
            int n = tokens.length;
            if (n == 0 || n > window) {
                throw new IllegalArgumentException("an input of " + n + " tokens; this session takes 1.." + window);
            }
            ids.clear();
            ids.put(tokens).flip();
            long[] shape = {1, n};
            try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, ids, shape);
                 OnnxTensor maskTensor = OnnxTensor.createTensor(environment, ones.slice(0, n), shape);
                 OnnxTensor typeTensor = OnnxTensor.createTensor(environment, zeros.slice(0, n), shape);
                 OnnxTensor hiddenTensor = OnnxTensor.createTensor(environment, hidden.slice(0, n * dims),
                         new long[] {1, n, dims})) {
                Map<String, OnnxTensor> inputs = new HashMap<>(4);
                inputs.put("input_ids", idsTensor);
                inputs.put("attention_mask", maskTensor);
                if (takesTypeIds) {
                    inputs.put("token_type_ids", typeTensor);
                }
                try (OrtSession.Result ignored = session.run(inputs, Map.of(output, hiddenTensor))) {
                    return UnitLength.normalise(pooling == OnnxModel.Pooling.CLS ? first(hidden, dims) : meanPool(hidden, n, dims));
                }
            }
        }
    }

    /** The first token's ([CLS]) vector of {@code hidden} ([1, tokens, dims]). */
    static float[] first(FloatBuffer hidden, int dims) {
        float[] vector = new float[dims];
        hidden.get(0, vector);
        return vector;
    }

    /** Averages the first {@code tokens} token vectors of {@code hidden} ([1, tokens, dims]), all attended. */
    static float[] meanPool(FloatBuffer hidden, int tokens, int dims) {
        float[] sum = new float[dims];
        for (int t = 0; t < tokens; t++) {
            int base = t * dims;
            for (int d = 0; d < dims; d++) {
                sum[d] += hidden.get(base + d);
            }
        }
        float count = Math.max(1, tokens);
        for (int d = 0; d < dims; d++) {
            sum[d] /= count;
        }
        return sum;
    }

    @Override
    public void close() throws OrtException {
        try {
            session.close();
        } finally {
            options.close();
        }
    }
}
