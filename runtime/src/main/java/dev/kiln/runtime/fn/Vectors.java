package dev.kiln.runtime.fn;

import dev.kiln.ir.eval.VectorFunctions;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.vector.TensorCells;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * DOT and COSINE_SIMILARITY for generated code, over two TENSOR cells (views of their bytes, see
 * {@link TensorCells}). FLOAT32 vectors - embeddings - are read in place; other element types are
 * decoded first. Sums run in double in index order, as the reference ({@link VectorFunctions})
 * does, so both give the same bits.
 */
public final class Vectors {
    private Vectors() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ElementType[] TYPES = ElementType.values();

    public static double dot(MemorySegment sa, long oa, int la, int ta, MemorySegment sb, long ob, int lb, int tb) {
        MemorySegment a = sa.asSlice(oa, la), b = sb.asSlice(ob, lb);
        if (!float32(ta, tb)) return VectorFunctions.dot(decode(ta, a), decode(tb, b));
        MemorySegment x = data("dot", a, b), y = TensorCells.data(b);
        double s = 0;
        for (long i = 0, n = x.byteSize(); i < n; i += 4) s += (double) x.get(F32, i) * y.get(F32, i);
        return s;
    }

    public static double cosine(MemorySegment sa, long oa, int la, int ta, MemorySegment sb, long ob, int lb, int tb) {
        MemorySegment a = sa.asSlice(oa, la), b = sb.asSlice(ob, lb);
        if (!float32(ta, tb)) return VectorFunctions.cosine(decode(ta, a), decode(tb, b));
        MemorySegment x = data("cosine_similarity", a, b), y = TensorCells.data(b);
        double ab = 0, aa = 0, bb = 0;
        for (long i = 0, n = x.byteSize(); i < n; i += 4) {
            double p = x.get(F32, i), q = y.get(F32, i);
            ab += p * q;
            aa += p * p;
            bb += q * q;
        }
        if (aa == 0 || bb == 0) throw new dev.kiln.ir.KilnException("cosine_similarity of a zero vector: its direction is undefined");
        return ab / (Math.sqrt(aa) * Math.sqrt(bb));
    }

    private static boolean float32(int ta, int tb) {
        return TYPES[ta] == ElementType.FLOAT32 && TYPES[tb] == ElementType.FLOAT32;
    }

    private static Tensor decode(int type, MemorySegment cell) {
        return TensorCells.decode(TYPES[type], cell);
    }

    /** a's elements, after checking that b has as many. */
    private static MemorySegment data(String fn, MemorySegment a, MemorySegment b) {
        MemorySegment x = TensorCells.data(a);
        long na = x.byteSize() / 4, nb = TensorCells.data(b).byteSize() / 4;
        if (na != nb) throw new dev.kiln.ir.KilnException(fn + " of vectors of different lengths, " + na + " and " + nb);
        return x;
    }
}
