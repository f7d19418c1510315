package dev.kiln.runtime.tensor;

import dev.kiln.ir.tensor.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A fused operator's activation, applied by the kernels to their results on the heap before they
 * store them (a GEMM tile's rows, a depthwise convolution's output row), in float32 Vector API
 * loops; the elements past the last whole vector take {@link TensorMath}'s formulas in double.
 */
public final class ActivationEpilogue implements GemmEpilogue {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private enum Kind { RELU, SIGMOID, HARD_SWISH, LEAKY_RELU, HARD_SIGMOID, CLIP, GELU, GELU_TANH }

    private final Kind kind;
    private final float a, b;

    private ActivationEpilogue(Kind kind, float a, float b) {
        this.kind = kind;
        this.a = a;
        this.b = b;
    }

    /** The epilogue of an activation, or null for {@link Activation.None}. */
    public static GemmEpilogue of(Activation act) {
        return switch (act) {
            case Activation.None n -> null;
            case Activation.Relu r -> new ActivationEpilogue(Kind.RELU, 0, 0);
            case Activation.Sigmoid s -> new ActivationEpilogue(Kind.SIGMOID, 0, 0);
            case Activation.HardSwish h -> new ActivationEpilogue(Kind.HARD_SWISH, 0, 0);
            case Activation.LeakyRelu l -> new ActivationEpilogue(Kind.LEAKY_RELU, l.alpha(), 0);
            case Activation.HardSigmoid h -> new ActivationEpilogue(Kind.HARD_SIGMOID, h.alpha(), h.beta());
            case Activation.Clip c -> new ActivationEpilogue(Kind.CLIP, c.min(), c.max());
            case Activation.Gelu g -> new ActivationEpilogue(g.approximate() == dev.kiln.ir.tensor.ElementwiseOp.GeluApproximation.NONE ? Kind.GELU : Kind.GELU_TANH, 0, 0);
        };
    }

    @Override
    public void apply(float[] v, int from, int n) {
        int whole = n - n % L, end = from + whole;
        // one small loop per kind: each compiled on its own and fully inlined within itself, whatever else the JIT
        // decides (a vector passed to or returned from a method that is not inlined is boxed, so the activation is
        // never a per-vector call)
        switch (kind) {
            case RELU -> relu(v, from, end);
            case SIGMOID -> sigmoid(v, from, end);
            case HARD_SWISH -> hardSwish(v, from, end);
            case LEAKY_RELU -> leakyRelu(v, from, end, a);
            case HARD_SIGMOID -> hardSigmoid(v, from, end, a, b);
            case CLIP -> clip(v, from, end, a, b);
            case GELU -> gelu(v, from, end, false);
            case GELU_TANH -> gelu(v, from, end, true);
        }
        for (int i = end; i < from + n; i++) v[i] = scalar(v[i]);
    }

    private static void relu(float[] v, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, v, i);
            x.blend(0f, x.lt(0f)).intoArray(v, i);
        }
    }

    private static void sigmoid(float[] v, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, v, i).neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(v, i);
        }
    }

    private static void hardSwish(float[] v, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, v, i);
            x.mul(x.fma(1f / 6f, 0.5f).min(1f).max(0f)).intoArray(v, i);
        }
    }

    private static void leakyRelu(float[] v, int from, int end, float alpha) {
        for (int i = from; i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, v, i);
            x.blend(x.mul(alpha), x.lt(0f)).intoArray(v, i);
        }
    }

    private static void hardSigmoid(float[] v, int from, int end, float alpha, float beta) {
        for (int i = from; i < end; i += L) FloatVector.fromArray(S, v, i).fma(alpha, beta).min(1f).max(0f).intoArray(v, i);
    }

    /** v < lo ? lo : v > hi ? hi : v, so NaN passes through. */
    private static void clip(float[] v, int from, int end, float lo, float hi) {
        for (int i = from; i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, v, i);
            x.blend(lo, x.lt(lo)).blend(hi, x.compare(VectorOperators.GT, hi)).intoArray(v, i);
        }
    }

    private static void gelu(float[] v, int from, int end, boolean tanh) {
        for (int i = from; i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, v, i);
            (tanh ? ChainBlocks.geluTanh(x) : ChainBlocks.gelu(x)).intoArray(v, i);
        }
    }

    private float scalar(float v) {
        return (float) switch (kind) {
            case RELU -> TensorMath.relu(v);
            case SIGMOID -> TensorMath.sigmoid(v);
            case HARD_SWISH -> TensorMath.hardSwish(v);
            case LEAKY_RELU -> TensorMath.leakyRelu(v, a);
            case HARD_SIGMOID -> TensorMath.hardSigmoid(v, a, b);
            case CLIP -> TensorMath.clip(v, a, b);
            case GELU -> TensorMath.gelu(v);
            case GELU_TANH -> TensorMath.geluTanh(v);
        };
    }
}
