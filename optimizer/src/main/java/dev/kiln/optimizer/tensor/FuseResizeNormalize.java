package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShapeInference;
import dev.kiln.ir.tensor.TensorType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Image preprocessing into one node ({@link FusedOp.ResizeNormalize}): a Resize by sizes of an
 * [N, H, W, C] image (linear or nearest), with the Cast to float32 before it, and after it the
 * chain a preprocessing graph writes - a Gather reordering the channels (BGR/RGB), ADD, SUB, MUL
 * and DIV by per-channel constants (scale, mean, std), a Transpose to NCHW - each value read by
 * the next node only. The fused kernel reads each source pixel where it lies and writes the model
 * input once: no float copy of the image, no resized intermediate. Runs before the elementwise
 * fusion, which would otherwise take the arithmetic.
 */
public final class FuseResizeNormalize implements TensorPass {
    @Override public String name() { return "fuse-resize-normalize"; }

    @Override
    public TensorGraph apply(TensorGraph g) {
        GraphView view = new GraphView(g);
        TensorShapeInference.Result types = null;
        Map<TensorNode, TensorNode> replaced = new HashMap<>();
        Set<TensorNode> dropped = new HashSet<>();
        for (TensorNode n : g.nodes()) {
            if (!(n.op() instanceof LayoutOp.Resize rs) || dropped.contains(n)) continue;
            // the kernel resizes H and W and keeps N and C: cubic is not in it, tf_half_pixel_for_nn moves the
            // coordinates of unresized axes too (by half a pixel), and tf_crop_and_resize reads a region of interest
            if (rs.mode() == LayoutOp.ResizeMode.CUBIC || rs.coordinateTransform() == LayoutOp.CoordinateTransform.TF_HALF_PIXEL_FOR_NN
                    || rs.coordinateTransform() == LayoutOp.CoordinateTransform.TF_CROP_AND_RESIZE) continue;
            // inputs X, roi, scales, sizes: sizes only (roi is unused by these modes; an empty scales is absent)
            if (n.inputs().size() < 4 || n.input(3).isEmpty() || n.input(2).isPresent() && !view.constant(n.input(2).get()).map(t -> t.size() == 0).orElse(false)) continue;
            if (types == null) types = TensorShapeInference.infer(g);
            TensorType xt = types.type(n.input(0).get());
            if (xt.rank() != 4 || !(xt.shape().dim(3) instanceof dev.kiln.ir.tensor.Dim.Fixed c)) continue;
            long channels = c.size();
            List<TensorNode> absorbed = new ArrayList<>();
            String image = n.input(0).get();
            Optional<TensorNode> cast = view.producer(image).filter(p -> p.op() instanceof ElementwiseOp.Cast cs && cs.to() == ElementType.FLOAT32);
            if (cast.isPresent() && view.soleConsumer(image).isPresent()) {
                absorbed.add(cast.get());
                image = cast.get().input(0).get();
            } else if (xt.element() != ElementType.FLOAT32) {
                continue;
            }
            String out = n.outputs().getFirst();
            List<Long> order = List.of();
            List<FusedOp.ChannelStep> steps = new ArrayList<>();
            List<Optional<String>> operands = new ArrayList<>();
            boolean channelsFirst = false;
            Optional<TensorNode> next = view.soleConsumer(out);
            if (next.isPresent() && next.get().op() instanceof LayoutOp.Gather ga && (ga.axis() == 3 || ga.axis() == -1) && next.get().input(0).equals(Optional.of(out))) {
                Optional<Tensor> idx = next.get().input(1).flatMap(view::constant);
                if (idx.isPresent() && idx.get().rank() == 1 && idx.get().size() == channels && inRange(idx.get(), channels)) {
                    order = java.util.Arrays.stream(idx.get().toLongArray()).boxed().toList();
                    absorbed.add(next.get());
                    out = next.get().outputs().getFirst();
                    next = view.soleConsumer(out);
                }
            }
            while (next.isPresent() && next.get().op() instanceof ElementwiseOp.Binary b && next.get().inputs().size() == 2) {
                TensorNode step = next.get();
                boolean valueFirst = step.input(0).equals(Optional.of(out));
                String other = (valueFirst ? step.input(1) : step.input(0)).orElse(out);
                if (other.equals(out) || b.fn() == ElementwiseOp.BinaryFn.DIV && !valueFirst) break;
                if (b.fn() != ElementwiseOp.BinaryFn.ADD && b.fn() != ElementwiseOp.BinaryFn.SUB && b.fn() != ElementwiseOp.BinaryFn.MUL
                        && b.fn() != ElementwiseOp.BinaryFn.DIV) break;
                if (!view.constant(other).map(t -> perChannel(t, channels)).orElse(false)) break;
                steps.add(new FusedOp.ChannelStep(b.fn(), valueFirst));
                operands.add(Optional.of(other));
                absorbed.add(step);
                out = step.outputs().getFirst();
                next = view.soleConsumer(out);
            }
            if (next.isPresent() && next.get().op() instanceof LayoutOp.Transpose tr && tr.perm().equals(List.of(0L, 3L, 1L, 2L))) {
                channelsFirst = true;
                absorbed.add(next.get());
                out = next.get().outputs().getFirst();
            }
            if (absorbed.isEmpty()) continue;
            List<Optional<String>> inputs = new ArrayList<>(List.of(Optional.of(image), n.input(3)));
            inputs.addAll(operands);
            replaced.put(n, new TensorNode(n.name(), new FusedOp.ResizeNormalize(rs, order, steps, channelsFirst), inputs, List.of(out)));
            dropped.addAll(absorbed);
        }
        return GraphView.rewritten(g, replaced, dropped, g.initializers());
    }

    private static boolean inRange(Tensor idx, long channels) {
        for (long i : idx.toLongArray()) if (i < -channels || i >= channels) return false;
        return true;
    }

    /** A float32 constant that varies along the last axis only (C or 1 values) and cannot raise an image's rank. */
    private static boolean perChannel(Tensor t, long channels) {
        if (t.type() != ElementType.FLOAT32 || t.rank() > 4 || t.size() != 1 && t.size() != channels) return false;
        for (int i = 0; i < t.rank() - 1; i++) if (t.dim(i) != 1) return false;
        return true;
    }
}
