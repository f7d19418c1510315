package dev.kiln.frontend.keras;

import dev.kiln.ir.tensor.Tensor;

/**
 * Convolution kernels from TensorFlow's layout to ONNX's, done once at import so the graph holds
 * ONNX-layout constants: Conv2D's [kh, kw, in, out] (HWIO) becomes [out, in, kh, kw] (OIHW), and
 * DepthwiseConv2D's [kh, kw, in, multiplier] becomes a grouped kernel [in * multiplier, 1, kh, kw]
 * whose output channel c * multiplier + m is TensorFlow's (input channel c, multiplier m).
 */
final class KernelLayouts {
    private KernelLayouts() {}

    static Tensor hwioToOihw(Tensor k) {
        long[] s = k.shape();
        int kh = (int) s[0], kw = (int) s[1], ci = (int) s[2], co = (int) s[3];
        float[] out = new float[k.size()];
        for (int h = 0; h < kh; h++)
            for (int w = 0; w < kw; w++)
                for (int i = 0; i < ci; i++)
                    for (int o = 0; o < co; o++) {
                        out[((o * ci + i) * kh + h) * kw + w] = (float) k.getDouble(((h * kw + w) * ci + i) * co + o);
                    }
        return Tensor.floats(new long[] {co, ci, kh, kw}, out);
    }

    static Tensor depthwiseToOihw(Tensor k) {
        long[] s = k.shape();
        // [kh, kw, c, m] flattened over (c, m) is exactly HWIO with in = 1 and out = c * m.
        return hwioToOihw(k.reshape(new long[] {s[0], s[1], 1, s[2] * s[3]}));
    }
}
