package dev.kiln.runtime.tensor;

/**
 * The scalar functions generated elementwise loops call, in double, with the formulas of the
 * reference interpreter, except erf: the interpreter's continued fraction costs ~100 ns, which made
 * a Gelu epilogue cost 6x its GEMM, so here it is Abramowitz and Stegun 7.1.26 (absolute error
 * below 1.5e-7, under float32's resolution near erf's range of ±1). Small and static: the JIT
 * inlines them into the generated loop.
 */
public final class TensorMath {
    private TensorMath() {}

    public static double relu(double v) { return v < 0 ? 0 : v; }
    public static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }
    public static double erf(double v) {
        double x = Math.abs(v), t = 1 / (1 + 0.3275911 * x);
        double y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
        return Math.copySign(y, v);
    }

    public static double gelu(double v) { return 0.5 * v * (1 + erf(v * 0.7071067811865476)); }
    public static double geluTanh(double v) { return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))); }
    public static double hardSwish(double v) { return v * Math.max(0, Math.min(1, v / 6 + 0.5)); }
    public static double hardSigmoid(double v, double alpha, double beta) { return Math.max(0, Math.min(1, alpha * v + beta)); }
    public static double leakyRelu(double v, double alpha) { return v < 0 ? alpha * v : v; }
    /** NaN passes through, as in ONNX Runtime and the interpreter. */
    public static double clip(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }
    public static double softplus(double v) { return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)); }
    public static double reciprocal(double v) { return 1 / v; }
    /** ONNX Pow on floats; the interpreter's exact integer powers only apply to integer tensors. */
    public static double pow(double x, double y) { return Math.pow(x, y); }
}
