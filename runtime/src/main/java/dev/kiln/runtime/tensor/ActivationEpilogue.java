package dev.kiln.runtime.tensor;

import dev.kiln.ir.tensor.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A fused operator's activation, applied by the kernels to each result vector in a register as
 * they store it (a GEMM tile's rows, a depthwise convolution's output vectors), in float32: one
 * class for every activation, its switch inlined into the kernel's store. Results stored one
 * at a time (the columns of a tile narrower than a panel) take {@link TensorMath}'s formulas in double.
 */
public final class ActivationEpilogue implements GemmEpilogue {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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
    public FloatVector apply(FloatVector v) {
        return switch (kind) {
            case RELU -> v.blend(0f, v.lt(0f));
            case SIGMOID -> FloatVector.broadcast(S, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f));
            case HARD_SWISH -> v.mul(v.fma(1f / 6f, 0.5f).min(1f).max(0f));
            case LEAKY_RELU -> v.blend(v.mul(a), v.lt(0f));
            case HARD_SIGMOID -> v.fma(a, b).min(1f).max(0f);
            case CLIP -> v.blend(a, v.lt(a)).blend(b, v.compare(VectorOperators.GT, b));
            case GELU -> ChainBlocks.gelu(v);
            case GELU_TANH -> ChainBlocks.geluTanh(v);
        };
    }

    @Override
    public float apply(float v) {
        return scalar(v);
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
