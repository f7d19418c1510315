package dev.kiln.ir.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A {@link Window} resolved against input sizes: per spatial axis the kernel, stride, dilation,
 * the pads actually applied (auto_pad worked out) and the output size. Shared by shape inference
 * and the interpreter so both agree on every size. A size of -1 means unknown until run time.
 */
public record ConvGeometry(long[] kernel, long[] strides, long[] dilations, long[] padBegin, long[] padEnd,
                           long[] inSize, long[] outSize) {

    public int spatialRank() { return kernel.length; }

    /** Output size of a convolution or pool (only pools have a ceil mode), as ONNX defines them. */
    public static ConvGeometry forward(Window w, long[] kernel, long[] in, boolean ceilMode) {
        int r = in.length;
        long[] s = orDefault(w.strides(), r, 1, "strides");
        long[] d = orDefault(w.dilations(), r, 1, "dilations");
        long[] pads = orDefault(w.pads(), 2 * r, 0, "pads");
        long[] pb = new long[r], pe = new long[r], out = new long[r];
        for (int i = 0; i < r; i++) {
            long span = d[i] * (kernel[i] - 1) + 1;
            if (in[i] < 0) {
                out[i] = -1;
                continue;
            }
            switch (w.autoPad()) {
                case NOTSET, VALID -> {
                    pb[i] = pads[i];
                    pe[i] = pads[i + r];
                    long room = in[i] + pb[i] + pe[i] - span;
                    if (room < 0) {
                        throw new IllegalArgumentException("kernel extent " + span + " on spatial axis " + i
                                + " is larger than the padded input " + (in[i] + pb[i] + pe[i]));
                    }
                    out[i] = (ceilMode ? Math.ceilDiv(room, s[i]) : Math.floorDiv(room, s[i])) + 1;
                    // A last window that would start inside the end padding is dropped (ONNX, PyTorch).
                    if (ceilMode && (out[i] - 1) * s[i] >= in[i] + pb[i]) out[i]--;
                }
                case SAME_UPPER, SAME_LOWER -> {
                    out[i] = Math.ceilDiv(in[i], s[i]);
                    long total = Math.max(0, (out[i] - 1) * s[i] + span - in[i]);
                    long small = total / 2;
                    pb[i] = w.autoPad() == AutoPad.SAME_UPPER ? small : total - small;
                    pe[i] = total - pb[i];
                }
            }
        }
        return new ConvGeometry(kernel.clone(), s, d, pb, pe, in.clone(), out);
    }

    /** Output size and pads of a transposed convolution. */
    public static ConvGeometry transposed(Window w, long[] kernel, long[] in, List<Long> outputPadding, List<Long> outputShape) {
        int r = in.length;
        long[] s = orDefault(w.strides(), r, 1, "strides");
        long[] d = orDefault(w.dilations(), r, 1, "dilations");
        long[] pads = orDefault(w.pads(), 2 * r, 0, "pads");
        long[] op = orDefault(outputPadding, r, 0, "output_padding");
        long[] target = outputShape.isEmpty() ? new long[0] : spatialTail(outputShape, r);
        long[] pb = new long[r], pe = new long[r], out = new long[r];
        for (int i = 0; i < r; i++) {
            if (op[i] >= Math.max(s[i], d[i])) {
                throw new IllegalArgumentException("output_padding " + op[i] + " on spatial axis " + i + " must be less than the stride or dilation");
            }
            if (in[i] < 0) {
                out[i] = target.length > 0 ? target[i] : -1;
                continue;
            }
            long full = s[i] * (in[i] - 1) + op[i] + (kernel[i] - 1) * d[i] + 1;
            boolean derived = target.length > 0 || w.autoPad() == AutoPad.SAME_UPPER || w.autoPad() == AutoPad.SAME_LOWER;
            if (derived) {
                out[i] = target.length > 0 ? target[i] : in[i] * s[i];
                if (out[i] < 1) throw new IllegalArgumentException("output_shape " + out[i] + " on spatial axis " + i + " must be positive");
                // The spec's rule: SAME_UPPER puts the smaller half first, otherwise the larger. An
                // output_shape larger than the full result makes the total negative: the extra
                // positions receive no input (only the bias), and with the spec's floor division
                // (Python's //) they go at the end, as ONNX's reference and ONNX Runtime put them.
                long total = full - out[i];
                pb[i] = w.autoPad() == AutoPad.SAME_UPPER ? Math.floorDiv(total, 2) : total - Math.floorDiv(total, 2);
                pe[i] = total - pb[i];
            } else {
                if (w.autoPad() == AutoPad.NOTSET) {
                    pb[i] = pads[i];
                    pe[i] = pads[i + r];
                }
                out[i] = full - pb[i] - pe[i];
                if (out[i] < 1) throw new IllegalArgumentException("pads " + Arrays.toString(pads) + " leave no output on spatial axis " + i);
            }
        }
        return new ConvGeometry(kernel.clone(), s, d, pb, pe, in.clone(), out);
    }

    private static long[] spatialTail(List<Long> shape, int r) {
        if (shape.size() < r) throw new IllegalArgumentException("output_shape " + shape + " needs " + r + " spatial sizes");
        long[] t = new long[r];
        for (int i = 0; i < r; i++) t[i] = shape.get(shape.size() - r + i);
        return t;
    }

    static long[] orDefault(List<Long> values, int n, long dflt, String what) {
        long[] out = new long[n];
        if (values.isEmpty()) {
            Arrays.fill(out, dflt);
            return out;
        }
        if (values.size() != n) throw new IllegalArgumentException(what + " " + values + " must have " + n + " values");
        for (int i = 0; i < n; i++) out[i] = values.get(i);
        return out;
    }
}
