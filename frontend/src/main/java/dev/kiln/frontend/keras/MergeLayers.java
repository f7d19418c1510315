package dev.kiln.frontend.keras;

import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.ElementwiseOp.VariadicFn;
import dev.kiln.ir.tensor.LayoutOp;
import java.util.List;

/** Layers that combine several inputs: Add and friends, and Concatenate. */
final class MergeLayers {
    private MergeLayers() {}

    static KerasTensor add(LayerContext cx) { return variadic(cx, VariadicFn.SUM, "add"); }
    static KerasTensor average(LayerContext cx) { return variadic(cx, VariadicFn.MEAN, "average"); }
    static KerasTensor maximum(LayerContext cx) { return variadic(cx, VariadicFn.MAX, "maximum"); }
    static KerasTensor minimum(LayerContext cx) { return variadic(cx, VariadicFn.MIN, "minimum"); }

    static KerasTensor subtract(LayerContext cx) {
        List<String> in = inputs(cx, 2);
        if (in.size() != 2) throw cx.fail("takes exactly two inputs, not " + in.size());
        return new KerasTensor(cx.emit("subtract", new ElementwiseOp.Binary(BinaryFn.SUB), in.get(0), in.get(1)), cx.alignedChannelsFirst());
    }

    static KerasTensor multiply(LayerContext cx) {
        List<String> in = inputs(cx, 2);
        String y = in.getFirst();
        for (String x : in.subList(1, in.size())) y = cx.emit("multiply", new ElementwiseOp.Binary(BinaryFn.MUL), y, x);
        return new KerasTensor(y, cx.alignedChannelsFirst());
    }

    static KerasTensor concatenate(LayerContext cx) {
        List<String> in = inputs(cx, 1);
        long axis = cx.cfg().integer("axis", -1);
        // the axis is read against the aligned layout, which is the first input's after alignment
        KerasTensor first = new KerasTensor(in.getFirst(), cx.alignedChannelsFirst());
        return new KerasTensor(cx.emit("concat", new LayoutOp.Concat(cx.irAxis(first, axis)), in.toArray(String[]::new)),
                cx.alignedChannelsFirst());
    }

    private static KerasTensor variadic(LayerContext cx, VariadicFn fn, String what) {
        List<String> in = inputs(cx, 1);
        return new KerasTensor(cx.emit(what, new ElementwiseOp.Variadic(fn), in.toArray(String[]::new)), cx.alignedChannelsFirst());
    }

    private static List<String> inputs(LayerContext cx, int min) {
        if (cx.inputs().size() < min) throw cx.fail("needs at least " + min + " inputs, not " + cx.inputs().size());
        return cx.aligned();
    }
}
