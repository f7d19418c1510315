package dev.kiln.ir.eval;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.Tensor;

/**
 * DOT and COSINE_SIMILARITY over vector values (rank-1 float tensors, such as embeddings):
 * products summed in double in index order, so that compiled code, which sums the same way,
 * gives the same bits.
 */
public final class VectorFunctions {
    private VectorFunctions() {}

    public static double dot(Tensor a, Tensor b) {
        sameLength("dot", a, b);
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += a.getDouble(i) * b.getDouble(i);
        return s;
    }

    public static double cosine(Tensor a, Tensor b) {
        sameLength("cosine_similarity", a, b);
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = a.getDouble(i), y = b.getDouble(i);
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        if (aa == 0 || bb == 0) throw new KilnException("cosine_similarity of a zero vector: its direction is undefined");
        return ab / (Math.sqrt(aa) * Math.sqrt(bb));
    }

    private static void sameLength(String fn, Tensor a, Tensor b) {
        if (a.size() != b.size()) throw new KilnException(fn + " of vectors of different lengths, " + a.size() + " and " + b.size());
    }
}
