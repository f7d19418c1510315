package dev.kiln.benchmarks.dl;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * ONNX Runtime Java on one model, the peer of {@code bench dl}: all graph optimizations, intra-op
 * threads = the run's threads, inter-op 1. Inputs are made into ORT tensors once ({@link #feed});
 * each {@link #run} includes reading the output into a float array, as Kiln's runner does.
 */
public final class OrtPeer implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
    private final OrtSession session;
    private final String model;

    public OrtPeer(String model, byte[] onnx, int threads) {
        this.model = model;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            session = ENV.createSession(onnx, o);
        } catch (OrtException e) {
            throw new KilnException("ONNX Runtime cannot load model " + model + ": " + e.getMessage(), e);
        }
    }

    public static String version() {
        return ENV.getVersion();
    }

    /** ORT tensors of the same values (float32 or int64), to be closed by the caller. */
    public Map<String, OnnxTensor> feed(Map<String, Tensor> inputs) {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (var e : inputs.entrySet()) {
                Tensor t = e.getValue();
                feed.put(e.getKey(), switch (t.type()) {
                    case FLOAT32 -> {
                        float[] f = new float[t.size()];
                        for (int i = 0; i < f.length; i++) f[i] = (float) t.getDouble(i);
                        yield OnnxTensor.createTensor(ENV, FloatBuffer.wrap(f), t.shape());
                    }
                    case INT64 -> OnnxTensor.createTensor(ENV, LongBuffer.wrap(t.toLongArray()), t.shape());
                    default -> throw new KilnException("model " + model + ": input " + e.getKey() + " is " + t.type() + "; the ORT peer feeds float32 and int64");
                });
            }
        } catch (OrtException e) {
            feed.values().forEach(OnnxTensor::close);
            throw new KilnException("model " + model + ": cannot make ORT inputs: " + e.getMessage(), e);
        }
        return feed;
    }

    /** One inference; the named float output, flattened. */
    public float[] run(Map<String, OnnxTensor> feed, String output) {
        try (OrtSession.Result r = session.run(feed)) {
            var out = r.get(output).orElseThrow(() -> new KilnException("model " + model + ": ONNX Runtime has no output " + output));
            FloatBuffer b = ((OnnxTensor) out).getFloatBuffer();
            float[] f = new float[b.remaining()];
            b.get(f);
            return f;
        } catch (OrtException e) {
            throw new KilnException("model " + model + ": ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new KilnException("cannot close the ORT session of " + model, e);
        }
    }
}
