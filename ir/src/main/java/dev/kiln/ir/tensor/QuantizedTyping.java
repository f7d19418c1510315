package dev.kiln.ir.tensor;

import static dev.kiln.ir.tensor.ElementType.*;

import java.util.List;

/** Output types of {@link QuantizedOp}s. */
final class QuantizedTyping {
    private QuantizedTyping() {}

    private static final ElementType[] QUANTIZED = {INT8, UINT8, INT16, UINT16, INT32};
    private static final ElementType[] BYTES = {INT8, UINT8};

    static List<TensorType> infer(QuantizedOp op, NodeTyping t) {
        return switch (op) {
            case QuantizedOp.DequantizeLinear d -> {
                t.arity(2, 3, 1, 1);
                t.requireElement(0, QUANTIZED);
                t.requireFloat(1);
                if (t.has(2)) t.requireSameElement(0, 2);
                requireScaleShape(t, 0, 1, d.axis(), d.blockSize());
                ElementType out = d.outputType().orElse(t.element(1));
                if (!out.isFloating()) throw t.fail("output type must be floating-point, not " + out);
                yield List.of(new TensorType(out, t.shape(0)));
            }
            case QuantizedOp.QuantizeLinear q -> {
                t.arity(2, 3, 1, 1);
                if (!t.element(0).isFloating() && t.element(0) != INT32) throw t.fail("x must be floating-point or INT32, not " + t.type(0));
                t.requireFloat(1);
                requireScaleShape(t, 0, 1, q.axis(), q.blockSize());
                ElementType out = q.outputType().orElse(t.has(2) ? t.element(2) : UINT8);
                if (t.has(2) && t.element(2) != out) throw t.fail("output_dtype " + out + " differs from the zero point type " + t.element(2));
                if (out != INT8 && out != UINT8 && out != INT16 && out != UINT16) throw t.fail("cannot quantize to " + out);
                yield List.of(new TensorType(out, t.shape(0)));
            }
            case QuantizedOp.DynamicQuantizeLinear d -> {
                t.arity(1, 1, 3, 3);
                t.requireElement(0, FLOAT32);
                yield List.of(new TensorType(UINT8, t.shape(0)), TensorType.of(FLOAT32), TensorType.of(UINT8));
            }
            case QuantizedOp.MatMulInteger m -> {
                t.arity(2, 4, 1, 1);
                t.requireElement(0, BYTES);
                t.requireElement(1, BYTES);
                zeroPoint(t, 2, 0);
                zeroPoint(t, 3, 1);
                yield List.of(new TensorType(INT32, NeuralTyping.matMulShape(t, t.shape(0), t.shape(1))));
            }
            case QuantizedOp.ConvInteger c -> {
                t.arity(2, 4, 1, 1);
                t.requireElement(0, BYTES);
                t.requireElement(1, BYTES);
                zeroPoint(t, 2, 0);
                zeroPoint(t, 3, 1);
                yield List.of(new TensorType(INT32, NeuralTyping.convShape(t, 0, 1, c.window(), c.group())));
            }
            case QuantizedOp.QLinearConv c -> {
                t.arity(8, 9, 1, 1);
                qlinearOperands(t, true);
                TensorShape y = NeuralTyping.convShape(t, 0, 3, c.window(), c.group());
                if (t.has(8)) {
                    t.requireElement(8, INT32);
                    NeuralTyping.requireVector(t, 8, y.dim(1), "bias");
                }
                yield List.of(new TensorType(t.element(7), y));
            }
            case QuantizedOp.QLinearMatMul m -> {
                t.arity(8, 8, 1, 1);
                qlinearOperands(t, false);
                yield List.of(new TensorType(t.element(7), NeuralTyping.matMulShape(t, t.shape(0), t.shape(3))));
            }
        };
    }

    /**
     * x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp of QLinearConv and QLinearMatMul; QLinearConv's
     * weight may be quantized per output channel (w_scale and w_zp 1-D).
     */
    private static void qlinearOperands(NodeTyping t, boolean perChannelWeight) {
        for (int q : new int[] {0, 3}) {
            t.requireElement(q, BYTES);
            t.requireElement(q + 1, FLOAT32);
            t.requireSameElement(q, q + 2);
        }
        t.requireElement(6, FLOAT32);
        t.requireElement(7, BYTES);
        for (int i : perChannelWeight ? new int[] {1, 2, 6, 7} : new int[] {1, 2, 4, 5, 6, 7}) {
            if (t.shape(i).elementCount().orElse(1L) != 1) throw t.fail("input " + i + " must be one value (per-tensor), not " + t.shape(i));
        }
    }

    private static void zeroPoint(NodeTyping t, int zp, int of) {
        if (!t.has(zp)) return;
        t.requireSameElement(of, zp);
        if (t.shape(zp).rank() > 1) throw t.fail("zero point " + zp + " must be a scalar or 1-D, not " + t.shape(zp));
    }

    /** Per tensor (one value), per axis (1-D of the axis size) or blocked (same rank, axis size ceil(d / block)). */
    private static void requireScaleShape(NodeTyping t, int x, int scale, long axis, long blockSize) {
        TensorShape xs = t.shape(x), ss = t.shape(scale);
        if (t.has(scale + 1) && !t.shape(scale + 1).equals(ss)) throw t.fail("scale " + ss + " and zero point " + t.shape(scale + 1) + " must have the same shape");
        if (ss.elementCount().orElse(-1L) == 1 && blockSize == 0) return;
        int ax = t.axis("axis", axis, xs.rank());
        if (blockSize == 0) {
            if (ss.rank() != 1) throw t.fail("per-axis scale must be 1-D, not " + ss);
            NeuralTyping.requireSameDim(t, ss.dim(0), xs.dim(ax), "scale length and the size of axis " + ax);
            return;
        }
        if (blockSize < 0) throw t.fail("block_size must be positive, not " + blockSize);
        if (ss.rank() != xs.rank()) throw t.fail("blocked scale " + ss + " must have the rank of x " + xs);
        for (int i = 0; i < xs.rank(); i++) {
            long xd = NodeTyping.fixed(xs.dim(i)), sd = NodeTyping.fixed(ss.dim(i));
            long want = i == ax && xd >= 0 ? Math.ceilDiv(xd, blockSize) : xd;
            if (want >= 0 && sd >= 0 && want != sd) throw t.fail("blocked scale " + ss + " does not match x " + xs + " with block_size " + blockSize + " on axis " + ax);
        }
    }
}
