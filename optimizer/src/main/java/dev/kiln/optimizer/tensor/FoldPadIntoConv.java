package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.AutoPad;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.Window;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A zero Pad of the spatial axes read only by a 2-D Conv becomes the Conv's own padding (Keras'
 * ZeroPadding2D before a strided convolution, as in MobileNetV2): the convolution skips the zeros
 * instead of reading a padded copy of its input. Only constant mode with value 0, non-negative
 * pads on H and W of an [N, C, H, W] input, and a Conv without auto_pad.
 */
public final class FoldPadIntoConv implements TensorPass {
    @Override public String name() { return "fold-pad-into-conv"; }

    @Override
    public TensorGraph apply(TensorGraph g) {
        GraphView view = new GraphView(g);
        Map<TensorNode, TensorNode> replaced = new HashMap<>();
        Set<TensorNode> dropped = new HashSet<>();
        for (TensorNode pad : g.nodes()) {
            if (!(pad.op() instanceof LayoutOp.Pad p) || p.mode() != LayoutOp.PadMode.CONSTANT || pad.inputs().size() > 3 && pad.input(3).isPresent()) continue;
            Optional<long[]> pads = pad.input(1).flatMap(view::constant).map(Tensor::toLongArray).filter(a -> a.length == 8);
            boolean zero = pad.inputs().size() < 3 || pad.input(2).isEmpty()
                    || pad.input(2).flatMap(view::constant).map(v -> v.size() == 0 || v.size() == 1 && v.getDouble(0) == 0).orElse(false);
            if (pads.isEmpty() || !zero) continue;
            long[] pd = pads.get();
            if (pd[0] != 0 || pd[1] != 0 || pd[4] != 0 || pd[5] != 0 || pd[2] < 0 || pd[3] < 0 || pd[6] < 0 || pd[7] < 0) continue;
            String out = pad.outputs().getFirst();
            Optional<TensorNode> conv = view.soleConsumer(out)
                    .filter(c -> c.op() instanceof NeuralOp.Conv cv && cv.window().autoPad() == AutoPad.NOTSET && c.input(0).equals(Optional.of(out)) && !dropped.contains(c))
                    .filter(c -> c.input(1).flatMap(view::constant).map(w -> w.rank() == 4).orElse(false));
            if (conv.isEmpty()) continue;
            NeuralOp.Conv cv = (NeuralOp.Conv) conv.get().op();
            List<Long> old = cv.window().pads().isEmpty() ? List.of(0L, 0L, 0L, 0L) : cv.window().pads();
            // Window pads: [top, left, bottom, right]; ONNX Pad pads: [n, c, top, left, n, c, bottom, right]
            Window w = cv.window().withPads(old.get(0) + pd[2], old.get(1) + pd[3], old.get(2) + pd[6], old.get(3) + pd[7]);
            List<Optional<String>> inputs = new ArrayList<>(conv.get().inputs());
            inputs.set(0, pad.input(0));
            replaced.put(conv.get(), new TensorNode(conv.get().name(), new NeuralOp.Conv(w, cv.group()), inputs, conv.get().outputs()));
            dropped.add(pad);
        }
        return GraphView.rewritten(g, replaced, dropped, g.initializers());
    }
}
