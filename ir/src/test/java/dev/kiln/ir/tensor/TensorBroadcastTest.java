package dev.kiln.ir.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.ElementwiseOp.Binary;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Broadcasting properties over random fixed shapes, checked against element-wise index arithmetic. */
class TensorBroadcastTest {
    @Provide
    Arbitrary<List<Long>> shapes() {
        return Arbitraries.longs().between(1, 3).list().ofMaxSize(4);
    }

    private static long[] arr(List<Long> l) {
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    /** Whether two shapes are compatible: aligned at the back, each pair equal or containing a 1. */
    private static boolean compatible(long[] a, long[] b) {
        for (int i = 1; i <= Math.min(a.length, b.length); i++) {
            long x = a[a.length - i], y = b[b.length - i];
            if (x != y && x != 1 && y != 1) return false;
        }
        return true;
    }

    @Property(tries = 300)
    void broadcastIsCommutativeAndTheResultHoldsBoth(@ForAll("shapes") List<Long> la, @ForAll("shapes") List<Long> lb) {
        long[] a = arr(la), b = arr(lb);
        TensorShape sa = TensorShape.of(a), sb = TensorShape.of(b);
        if (!compatible(a, b)) {
            assertThrows(IllegalArgumentException.class, () -> TensorShape.broadcast(sa, sb));
            return;
        }
        TensorShape r = TensorShape.broadcast(sa, sb);
        assertEquals(r, TensorShape.broadcast(sb, sa));
        assertEquals(Math.max(a.length, b.length), r.rank());
        assertTrue(TensorShape.broadcastsTo(sa, r) && TensorShape.broadcastsTo(sb, r));
        for (int i = 1; i <= r.rank(); i++) {
            long x = i <= a.length ? a[a.length - i] : 1, y = i <= b.length ? b[b.length - i] : 1;
            assertEquals(Dim.of(Math.max(x, y)), r.dim(r.rank() - i));
        }
    }

    /** Each element of a + b is a[index mod a's dims] + b[index mod b's dims] (sizes 1 repeat). */
    @Property(tries = 200)
    void addReadsEachOperandAtTheIndexModuloItsSize(@ForAll("shapes") List<Long> la, @ForAll("shapes") List<Long> lb) {
        long[] a = arr(la), b = arr(lb);
        if (!compatible(a, b)) return;
        Tensor ta = numbered(a, 1), tb = numbered(b, 1000);
        Tensor y = TensorTesting.run1(new Binary(BinaryFn.ADD), ta, tb);
        long[] ys = y.shape();
        int[] idx = new int[ys.length];
        for (int e = 0; e < y.size(); e++) {
            int rem = e;
            for (int d = ys.length - 1; d >= 0; d--) {
                idx[d] = (int) (rem % ys[d]);
                rem /= (int) ys[d];
            }
            assertEquals(ta.getDouble(flat(idx, a)) + tb.getDouble(flat(idx, b)), y.getDouble(e), "element " + e);
        }
    }

    private static int flat(int[] outIdx, long[] shape) {
        int off = 0, shift = outIdx.length - shape.length;
        for (int d = 0; d < shape.length; d++) off = off * (int) shape[d] + (int) (outIdx[d + shift] % shape[d]);
        return off;
    }

    private static Tensor numbered(long[] shape, int base) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = base * (i + 1);
        return Tensor.floats(shape, v);
    }
}
