package dev.kiln.codegen.tensor;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/** ONNX Runtime on the same model bytes and inputs, as the oracle and the peer of the compiled programs. */
final class OrtPeer implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
    private final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    private final OrtSession session;
    private final Map<String, OnnxTensor> feeds = new HashMap<>();

    OrtPeer(byte[] onnx, int threads) throws OrtException {
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(onnx, options);
    }

    /** Binds the inputs for later {@link #run} calls. */
    void feed(Map<String, Tensor> in) throws OrtException {
        feeds.values().forEach(OnnxTensor::close);
        feeds.clear();
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            Tensor t = e.getValue();
            feeds.put(e.getKey(), t.type() == ElementType.INT64
                    ? OnnxTensor.createTensor(env, LongBuffer.wrap(t.toLongArray()), t.shape())
                    : OnnxTensor.createTensor(env, FloatBuffer.wrap(floats(t)), t.shape()));
        }
    }

    /** Runs on the bound inputs; returns the named float output. */
    Tensor run(String output) throws OrtException {
        try (OrtSession.Result r = session.run(feeds, java.util.Set.of(output))) {
            OnnxTensor o = (OnnxTensor) r.get(output).orElseThrow();
            FloatBuffer b = o.getFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            return Tensor.floats(o.getInfo().getShape(), v);
        }
    }

    static float[] floats(Tensor t) {
        float[] f = new float[t.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) t.getDouble(i);
        return f;
    }

    /** The largest |a - b| over two tensors of the same shape. */
    static double maxAbsDiff(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new AssertionError("shapes differ: " + java.util.Arrays.toString(a.shape()) + " vs " + java.util.Arrays.toString(b.shape()));
        }
        double d = 0;
        for (int i = 0; i < a.size(); i++) d = Math.max(d, Math.abs(a.getDouble(i) - b.getDouble(i)));
        return d;
    }

    @Override
    public void close() throws OrtException {
        feeds.values().forEach(OnnxTensor::close);
        session.close();
        options.close();
    }
}
