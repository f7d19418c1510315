package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TextOp;
import java.util.List;

/** The reference kernels of {@link TextOp}s. */
final class TextKernels {
    private TextKernels() {}

    /** input_ids, attention_mask, token_type_ids for a batch of texts, padded to {@code len}. */
    static List<Tensor> encode(TextOp.WordPieceEncode w, Tensor texts, int len) {
        int n = texts.size();
        long[] ids = new long[n * len], mask = new long[n * len];
        java.util.Arrays.fill(ids, w.tokenizer().padId());
        for (int i = 0; i < n; i++) {
            long[] row = w.tokenizer().encode(texts.getString(i), w.maxLength());
            System.arraycopy(row, 0, ids, i * len, row.length);
            java.util.Arrays.fill(mask, i * len, i * len + row.length, 1);
        }
        long[] shape = {n, len};
        return List.of(Tensor.int64(shape, ids), Tensor.int64(shape, mask), Tensor.zeros(ElementType.INT64, shape));
    }

    static Tensor ctc(TextOp.CtcDecode c, Tensor best) {
        int n = (int) best.dim(0), steps = (int) best.dim(1);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            long prev = -1;
            for (int s = 0; s < steps; s++) {
                long k = best.getLong(i * steps + s);
                if (k < 0 || k >= c.labels().size()) {
                    throw new IllegalArgumentException("class " + k + " at step " + s + " of row " + i + " is not one of the decoder's " + c.labels().size() + " labels");
                }
                if (k != c.blank() && k != prev) sb.append(c.labels().get((int) k));
                prev = k;
            }
            out[i] = sb.toString();
        }
        return Tensor.strings(new long[] {n}, out);
    }
}
