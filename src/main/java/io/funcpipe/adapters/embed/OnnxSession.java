package io.funcpipe.adapters.embed;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * One single-threaded ONNX Runtime session of an {@link OnnxModel} (intra-op and inter-op threads 1):
 * turns one sequence of input ids into a pooled (mean or [CLS]), L2-normalised vector. Not thread-safe: one
 * worker thread uses it at a time.
 */
final class OnnxSession implements AutoCloseable {

    private final OrtEnvironment environment;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final boolean takesTypeIds;
    private final OnnxModel.Pooling pooling;

    private OnnxSession(OrtEnvironment environment, OrtSession.SessionOptions options, OrtSession session,
                        OnnxModel.Pooling pooling) throws OrtException {
        this.environment = environment;
        this.options = options;
        this.session = session;
        this.pooling = pooling;
        this.takesTypeIds = session.getInputNames().contains("token_type_ids");
    }

    static OnnxSession create(OrtEnvironment environment, ByteBuffer model, OnnxModel.Pooling pooling) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return new OnnxSession(environment, options, environment.createSession(model, options), pooling);
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** The unit-length embedding of one sequence (batch size 1, so every position is attended). */
    float[] embed(long[] ids) throws OrtException {
        long[] shape = {1, ids.length};
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1L);
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
             OnnxTensor typeTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>(4);
            inputs.put("input_ids", idsTensor);
            inputs.put("attention_mask", maskTensor);
            if (takesTypeIds) {
                inputs.put("token_type_ids", typeTensor);
            }
            try (OrtSession.Result output = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) output.get(0);
                long[] outShape = hidden.getInfo().getShape();
                int dims = (int) outShape[2];
                FloatBuffer tokens = hidden.getFloatBuffer();
                return UnitLength.normalise(pooling == OnnxModel.Pooling.CLS ? first(tokens, dims) : meanPool(tokens, mask, dims));
            }
        }
    }

    /** The first token's ([CLS]) vector of {@code hidden} ([1, tokens, dims]). */
    static float[] first(FloatBuffer hidden, int dims) {
        float[] vector = new float[dims];
        hidden.get(0, vector);
        return vector;
    }

    /** Averages the token vectors of {@code hidden} ([1, tokens, dims]) over the attention mask. */
    static float[] meanPool(FloatBuffer hidden, long[] mask, int dims) {
        float[] sum = new float[dims];
        long attended = 0;
        for (int t = 0; t < mask.length; t++) {
            if (mask[t] == 0) {
                continue;
            }
            attended++;
            int base = t * dims;
            for (int d = 0; d < dims; d++) {
                sum[d] += hidden.get(base + d);
            }
        }
        float count = Math.max(1, attended);
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
