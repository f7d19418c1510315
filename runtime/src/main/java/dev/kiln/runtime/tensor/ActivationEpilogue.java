package dev.kiln.runtime.tensor;

import dev.kiln.ir.tensor.Activation;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A fused operator's activation applied to each finished tile (GEMM) or plane (depthwise
 * convolution) while it is in cache: Vector API loops over the tile's rows, in float32, one class
 * for every activation so the loops are compiled once and stay hot. A tile's
 * columns past the last whole vector take {@link TensorMath}'s formulas in double.
 */
public final class ActivationEpilogue implements GemmEpilogue {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

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
    public void apply(MemorySegment c, long offset, long ldc, int rows, int cols) {
        int whole = cols - cols % L;
        // one small method per kind, each with the row loop: C2 compiles each on its own, with its own profile (one large
        // method switching per row deoptimized whenever a model reached a kind its profile had not seen, and ran in C1,
        // whose vectors are boxed, meanwhile); no vector crosses a call (a vector passed to or returned from a non-inlined
        // method is boxed)
        switch (kind) {
            case RELU -> relu(c, offset, ldc, rows, whole);
            case SIGMOID -> sigmoid(c, offset, ldc, rows, whole);
            case HARD_SWISH -> hardSwish(c, offset, ldc, rows, whole);
            case LEAKY_RELU -> leakyRelu(c, offset, ldc, rows, whole, a);
            case HARD_SIGMOID -> hardSigmoid(c, offset, ldc, rows, whole, a, b);
            case CLIP -> clip(c, offset, ldc, rows, whole, a, b);
            case GELU -> gelu(c, offset, ldc, rows, whole, false);
            case GELU_TANH -> gelu(c, offset, ldc, rows, whole, true);
        }
        if (whole == cols) return;
        for (int r = 0; r < rows; r++) {
            long row = (offset + r * ldc) * Float.BYTES;
            for (int j = whole; j < cols; j++) {
                long at = row + (long) j * Float.BYTES;
                c.set(ValueLayout.JAVA_FLOAT, at, scalar(c.get(ValueLayout.JAVA_FLOAT, at)));
            }
        }
    }

    private static final long STEP = (long) L * Float.BYTES;

    private static void relu(MemorySegment c, long offset, long ldc, int rows, int whole) {
        for (int r = 0; r < rows; r++) {
            long row = (offset + r * ldc) * Float.BYTES, end = row + (long) whole * Float.BYTES;
            for (long at = row; at < end; at += STEP) {
                FloatVector v = FloatVector.fromMemorySegment(S, c, at, NATIVE);
                v.blend(0f, v.lt(0f)).intoMemorySegment(c, at, NATIVE);
            }
        }
    }

    private static void sigmoid(MemorySegment c, long offset, long ldc, int rows, int whole) {
        for (int r = 0; r < rows; r++) {
            long row = (offset + r * ldc) * Float.BYTES, end = row + (long) whole * Float.BYTES;
            for (long at = row; at < end; at += STEP) {
                FloatVector v = FloatVector.fromMemorySegment(S, c, at, NATIVE);
                FloatVector.broadcast(S, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoMemorySegment(c, at, NATIVE);
            }
        }
    }

    private static void hardSwish(MemorySegment c, long offset, long ldc, int rows, int whole) {
        for (int r = 0; r < rows; r++) {
            long row = (offset + r * ldc) * Float.BYTES, end = row + (long) whole * Float.BYTES;
            for (long at = row; at < end; at += STEP) {
                FloatVector v = FloatVector.fromMemorySegment(S, c, at, NATIVE);
                v.mul(v.fma(1f / 6f, 0.5f).min(1f).max(0f)).intoMemorySegment(c, at, NATIVE);
            }
        }
    }

    private static void leakyRelu(MemorySegment c, long offset, long ldc, int rows, int whole, float alpha) {
        for (int r = 0; r < rows; r++) {
            long row = (offset + r * ldc) * Float.BYTES, end = row + (long) whole * Float.BYTES;
            for (long at = row; at < end; at += STEP) {
                FloatVector v = FloatVector.fromMemorySegment(S, c, at, NATIVE);
                v.blend(v.mul(alpha), v.lt(0f)).intoMemorySegment(c, at, NATIVE);
            }
        }
    }

    private static void hardSigmoid(MemorySegment c, long offset, long ldc, int rows, int whole, float alpha, float beta) {
        for (int r = 0; r < rows; r++) {
            long row = (offset + r * ldc) * Float.BYTES, end = row + (long) whole * Float.BYTES;
            for (long at = row; at < end; at += STEP) {
                FloatVector.fromMemorySegment(S, c, at, NATIVE).fma(alpha, beta).min(1f).max(0f).intoMemorySegment(c, at, NATIVE);
            }
        }
    }

    /** v < lo ? lo : v > hi ? hi : v, so NaN passes through. */
    private static void clip(MemorySegment c, long offset, long ldc, int rows, int whole, float lo, float hi) {
        for (int r = 0; r < rows; r++) {
            long row = (offset + r * ldc) * Float.BYTES, end = row + (long) whole * Float.BYTES;
            for (long at = row; at < end; at += STEP) {
                FloatVector v = FloatVector.fromMemorySegment(S, c, at, NATIVE);
                v.blend(lo, v.lt(lo)).blend(hi, v.compare(VectorOperators.GT, hi)).intoMemorySegment(c, at, NATIVE);
            }
        }
    }

    private static void gelu(MemorySegment c, long offset, long ldc, int rows, int whole, boolean tanh) {
        for (int r = 0; r < rows; r++) {
            long row = (offset + r * ldc) * Float.BYTES, end = row + (long) whole * Float.BYTES;
            for (long at = row; at < end; at += STEP) {
                FloatVector v = FloatVector.fromMemorySegment(S, c, at, NATIVE);
                (tanh ? ChainBlocks.geluTanh(v) : ChainBlocks.gelu(v)).intoMemorySegment(c, at, NATIVE);
            }
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
