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

    /** The *_C kinds: the value and the constant {@code a} (R*: the constant first). */
    private enum Kind { RELU, SIGMOID, HARD_SWISH, LEAKY_RELU, HARD_SIGMOID, CLIP, GELU, GELU_TANH, ADD_C, SUB_C, RSUB_C, MUL_C, DIV_C, RDIV_C }

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
            case Activation.Scalar sc -> new ActivationEpilogue(switch (sc.fn()) {
                case ADD -> Kind.ADD_C;
                case SUB -> sc.constantFirst() ? Kind.RSUB_C : Kind.SUB_C;
                case MUL -> Kind.MUL_C;
                case DIV -> sc.constantFirst() ? Kind.RDIV_C : Kind.DIV_C;
                default -> throw new IllegalArgumentException("scalar step " + sc.fn());
            }, sc.constant(), 0);
            case Activation.Chain c -> new Chained(c.steps().stream().map(a -> (ActivationEpilogue) of(a)).toArray(ActivationEpilogue[]::new));
        };
    }

    /**
     * The steps of a chain. The common shape - up to two scalar steps, an activation (not an
     * exponential one) or none, up to two scalar steps (a learnable affine map on either side) -
     * runs per vector in one straight loop; other chains take a pass per step over the range.
     */
    private record Chained(ActivationEpilogue[] steps, ActivationEpilogue[] shape) implements GemmEpilogue {
        Chained(ActivationEpilogue[] steps) {
            this(steps, shape(steps));
        }

        /** The steps as [scalar, scalar, activation, scalar, scalar] (null where there is none), or null for another shape. */
        private static ActivationEpilogue[] shape(ActivationEpilogue[] steps) {
            ActivationEpilogue[] s = new ActivationEpilogue[5];
            int i = 0;
            for (int k = 0; k < 2 && i < steps.length && steps[i].isScalarStep(); k++) s[k] = steps[i++];
            if (i < steps.length && !steps[i].isScalarStep()) {
                if (steps[i].kind == Kind.SIGMOID || steps[i].kind == Kind.GELU || steps[i].kind == Kind.GELU_TANH) return null;
                s[2] = steps[i++];
            }
            for (int k = 3; k < 5 && i < steps.length && steps[i].isScalarStep(); k++) s[k] = steps[i++];
            return i == steps.length ? s : null;
        }

        @Override
        public void apply(float[] v, int from, int n) {
            if (shape == null) {
                for (ActivationEpilogue e : steps) e.apply(v, from, n);
                return;
            }
            int end = from + n - n % L;
            ActivationEpilogue s0 = shape[0], s1 = shape[1], act = shape[2], s3 = shape[3], s4 = shape[4];
            Kind k = act == null ? null : act.kind;
            float aa = act == null ? 0 : act.a, ab = act == null ? 0 : act.b;
            for (int i = from; i < end; i += L) {
                FloatVector x = step(step(FloatVector.fromArray(S, v, i), s0), s1);
                if (k != null) {
                    x = switch (k) {
                        case RELU -> x.blend(0f, x.lt(0f));
                        case HARD_SWISH -> x.mul(x.fma(1f / 6f, 0.5f).min(1f).max(0f));
                        case LEAKY_RELU -> x.blend(x.mul(aa), x.lt(0f));
                        case HARD_SIGMOID -> x.fma(aa, ab).min(1f).max(0f);
                        case CLIP -> x.blend(aa, x.lt(aa)).blend(ab, x.compare(VectorOperators.GT, ab));
                        default -> throw new IllegalStateException("not inlined: " + k);
                    };
                }
                step(step(x, s3), s4).intoArray(v, i);
            }
            for (int i = end; i < from + n; i++) {
                for (ActivationEpilogue e : steps) v[i] = e.scalar(v[i]);
            }
        }

        /** One scalar step on a vector (none: the vector as it is). */
        static FloatVector step(FloatVector x, ActivationEpilogue e) {
            if (e == null) return x;
            float a = e.a;
            return switch (e.kind) {
                case ADD_C -> x.add(a);
                case SUB_C -> x.sub(a);
                case RSUB_C -> FloatVector.broadcast(S, a).sub(x);
                case MUL_C -> x.mul(a);
                case DIV_C -> x.div(a);
                default -> FloatVector.broadcast(S, a).div(x);
            };
        }
    }

    private boolean isScalarStep() {
        return kind.ordinal() >= Kind.ADD_C.ordinal();
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
            case ADD_C, SUB_C, RSUB_C, MUL_C, DIV_C, RDIV_C -> scalarStep(v, from, end);
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

    /** One float32 operation with the constant per element, as the unfused elementwise op rounds it. */
    private void scalarStep(float[] v, int from, int end) {
        for (int i = from; i < end; i += L) Chained.step(FloatVector.fromArray(S, v, i), this).intoArray(v, i);
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
            case ADD_C -> v + a;
            case SUB_C -> v - a;
            case RSUB_C -> a - v;
            case MUL_C -> v * a;
            case DIV_C -> v / a;
            case RDIV_C -> a / v;
        };
    }
}
