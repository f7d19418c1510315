package dev.kiln.frontend.onnx;

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

/** Runs a model in ONNX Runtime (one thread, the oracle for the real-model tests) on IR tensors. */
final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
    private final OrtSession session;

    OrtRunner(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            session = env.createSession(model, options);
        }
    }

    /** Runs on FLOAT32, FLOAT64 and INT64 inputs; returns the named FLOAT32, INT64 or BOOL output. */
    Tensor run(Map<String, Tensor> inputs, String output) throws OrtException {
        Map<String, ai.onnxruntime.OnnxTensor> feed = new HashMap<>();
        try {
            for (var e : inputs.entrySet()) {
                Tensor t = e.getValue();
                feed.put(e.getKey(), switch (t.type()) {
                    case FLOAT32 -> {
                        float[] f = new float[t.size()];
                        for (int i = 0; i < f.length; i++) f[i] = (float) t.getDouble(i);
                        yield ai.onnxruntime.OnnxTensor.createTensor(env, FloatBuffer.wrap(f), t.shape());
                    }
                    case FLOAT64 -> {
                        double[] d = new double[t.size()];
                        for (int i = 0; i < d.length; i++) d[i] = t.getDouble(i);
                        yield ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.DoubleBuffer.wrap(d), t.shape());
                    }
                    case INT64 -> ai.onnxruntime.OnnxTensor.createTensor(env, LongBuffer.wrap(t.toLongArray()), t.shape());
                    default -> throw new IllegalArgumentException("input " + e.getKey() + " is " + t.type());
                });
            }
            try (OrtSession.Result result = session.run(feed)) {
                var out = (ai.onnxruntime.OnnxTensor) result.get(output).orElseThrow();
                long[] shape = out.getInfo().getShape();
                return switch (out.getInfo().type) {
                    case FLOAT -> {
                        FloatBuffer b = out.getFloatBuffer();
                        float[] f = new float[b.remaining()];
                        b.get(f);
                        yield Tensor.of(ElementType.FLOAT32, shape, f);
                    }
                    case INT64 -> {
                        LongBuffer b = out.getLongBuffer();
                        long[] l = new long[b.remaining()];
                        b.get(l);
                        yield Tensor.of(ElementType.INT64, shape, l);
                    }
                    case BOOL -> {
                        java.nio.ByteBuffer b = out.getByteBuffer();
                        boolean[] z = new boolean[b.remaining()];
                        for (int i = 0; i < z.length; i++) z[i] = b.get() != 0;
                        yield Tensor.of(ElementType.BOOL, shape, z);
                    }
                    case STRING -> Tensor.of(ElementType.STRING, shape, ((String[]) out.getValue()).clone());
                    default -> throw new IllegalArgumentException("output " + output + " is " + out.getInfo().type);
                };
            }
        } finally {
            feed.values().forEach(ai.onnxruntime.OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
