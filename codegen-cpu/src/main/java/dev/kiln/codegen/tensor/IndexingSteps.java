package dev.kiln.codegen.tensor;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.runtime.tensor.Gather;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Steps over integer values, which transformers feed in (token ids, attention masks): Gather of
 * float32 rows by int64 indices (embedding lookups) and Cast between int64 and float32. The shape
 * arithmetic around them (Shape, Gather of dims, Concat, Equal, Where) is folded at compile time,
 * since the shapes are fixed then; what remains here depends on the input values.
 */
final class IndexingSteps {
    private IndexingSteps() {}

    static TensorStep gather(CompileContext cx, TensorNode n, LayoutOp.Gather g) {
        String data = n.input(0).get(), indices = n.input(1).get();
        if (cx.element(data) != ElementType.FLOAT32) throw new TensorCompileException(n.describe() + ": only float32 data is gathered, not " + cx.element(data));
        if (cx.element(indices) != ElementType.INT64) throw new TensorCompileException(n.describe() + ": only int64 indices are compiled, not " + cx.element(indices));
        long[] xs = cx.shape(data);
        int axis = TensorShape.normalizeAxis(g.axis(), xs.length);
        long outer = ElementwiseCodegen.count(Arrays.copyOf(xs, axis)), inner = ElementwiseCodegen.count(Arrays.copyOfRange(xs, axis + 1, xs.length));
        long count = ElementwiseCodegen.count(cx.shape(indices));
        MemorySegment x = cx.segment(data), idx = cx.longSegment(indices), y = cx.segment(n.outputs().getFirst());
        String label = n.describe();
        return t -> {
            try {
                Gather.rows(t, x, idx, y, outer, xs[axis], inner, count);
            } catch (IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("node " + label + ": " + e.getMessage(), e);
            }
        };
    }

    static TensorStep cast(CompileContext cx, TensorNode n, ElementwiseOp.Cast c) {
        String in = n.input(0).get(), out = n.outputs().getFirst();
        ElementType from = cx.element(in);
        MemorySegment x = cx.segment(in), y = cx.segment(out);
        long count = ElementwiseCodegen.count(cx.shape(out));
        if (from == ElementType.INT64 && c.to() == ElementType.FLOAT32) return t -> Gather.castLongToFloat(x, y, count);
        if (from == c.to() && (from == ElementType.FLOAT32 || from == ElementType.INT64)) {
            long bytes = count * cx.wordsPerElement(from) * 4;
            return t -> MemorySegment.copy(x, 0, y, 0, bytes);
        }
        throw new TensorCompileException("node " + n.describe() + ": Cast from " + from + " to " + c.to() + " is not compiled");
    }

    /** An int64 constant's values off-heap. */
    static MemorySegment longs(CompileContext cx, Tensor t) {
        long[] v = t.toLongArray();
        MemorySegment s = cx.memory.allocate(Math.max(1, v.length) * 8L);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_LONG, 0, v.length);
        return s;
    }
}
