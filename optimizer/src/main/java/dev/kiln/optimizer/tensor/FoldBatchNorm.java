package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * BatchNormalization after a Conv, ConvTranspose or Gemm with constant weights folds into them:
 * with s = scale / sqrt(var + eps) per output channel, W' = W · s and B' = (B - mean) · s + bias.
 * The new weights are computed in double and rounded once. Gemm's channel is its column; its
 * alpha stays, so the column of B is scaled, and C becomes the whole shift with beta 1.
 */
public final class FoldBatchNorm implements TensorPass {
    @Override public String name() { return "fold-batch-norm"; }

    @Override
    public TensorGraph apply(TensorGraph g) {
        GraphView view = new GraphView(g);
        Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
        Map<TensorNode, TensorNode> replaced = new LinkedHashMap<>();
        Set<TensorNode> dropped = new HashSet<>();
        for (TensorNode bn : g.nodes()) {
            if (!(bn.op() instanceof NeuralOp.BatchNormalization b)) continue;
            Optional<TensorNode> prod = view.producer(bn.input(0).orElseThrow());
            if (prod.isEmpty() || view.soleConsumer(prod.get().outputs().getFirst()).isEmpty() || replaced.containsKey(prod.get())) continue;
            TensorNode layer = prod.get();
            List<Optional<Tensor>> stats = new ArrayList<>();
            for (int i = 1; i < 5; i++) stats.add(view.constant(bn.input(i).orElseThrow()));
            if (stats.stream().anyMatch(Optional::isEmpty)) continue;
            Optional<Tensor> w = view.constant(layer.input(1).orElse(""));
            Optional<Tensor> bias = layer.input(2).flatMap(view::constant);
            if (w.isEmpty() || (layer.input(2).isPresent() && bias.isEmpty())) continue;
            double[] scale = new double[stats.getFirst().get().size()], shift = new double[scale.length];
            for (int c = 0; c < scale.length; c++) {
                scale[c] = stats.get(0).get().getDouble(c) / Math.sqrt(stats.get(3).get().getDouble(c) + b.epsilon());
                shift[c] = stats.get(1).get().getDouble(c) - stats.get(2).get().getDouble(c) * scale[c];
            }
            Optional<Folded> f = switch (layer.op()) {
                case NeuralOp.Conv c -> Optional.of(new Folded(c, scaleAxis(w.get(), scale, 0, 1), shiftBias(bias, scale, shift, 1)));
                case NeuralOp.ConvTranspose c -> Optional.of(new Folded(c, scaleAxis(w.get(), scale, 1, c.group()), shiftBias(bias, scale, shift, 1)));
                case NeuralOp.Gemm gm when bias.isEmpty() || bias.get().size() == 1 || bias.get().size() == scale.length && bias.get().rank() == 1 ->
                        Optional.of(new Folded(new NeuralOp.Gemm(gm.alpha(), 1f, gm.transA(), gm.transB()),
                                scaleGemm(w.get(), scale, gm.transB()), shiftBias(bias, scale, shift, gm.beta())));
                default -> Optional.empty();
            };
            if (f.isEmpty()) continue;
            String wName = fresh(inits, layer.name() + "_bn_w"), bName = fresh(inits, layer.name() + "_bn_b");
            inits.put(wName, f.get().weight());
            inits.put(bName, f.get().bias());
            replaced.put(layer, new TensorNode(layer.name(), f.get().op(),
                    List.of(layer.inputs().get(0), Optional.of(wName), Optional.of(bName)), bn.outputs()));
            dropped.add(bn);
        }
        if (replaced.isEmpty()) return g;
        List<TensorNode> nodes = new ArrayList<>();
        for (TensorNode n : g.nodes()) {
            if (dropped.contains(n)) continue;
            nodes.add(replaced.getOrDefault(n, n));
        }
        return new TensorGraph(g.name(), g.inputs(), g.outputs(), nodes, inits);
    }

    private record Folded(dev.kiln.ir.tensor.TensorOp op, Tensor weight, Tensor bias) {}

    static String fresh(Map<String, Tensor> taken, String base) {
        String name = base;
        for (int i = 2; taken.containsKey(name); i++) name = base + "_" + i;
        return name;
    }

    /** Scales W along its output-channel axis; for ConvTranspose that axis holds M/group channels per group. */
    private static Tensor scaleAxis(Tensor w, double[] scale, int axis, long group) {
        long[] s = w.shape();
        long inner = 1;
        for (int i = axis + 1; i < s.length; i++) inner *= s[i];
        long perGroup = s[axis];
        Tensor.Builder b = Tensor.builder(w.type(), s);
        for (int i = 0; i < w.size(); i++) {
            long ch = (i / inner) % perGroup;
            if (axis == 1) ch += (i / (inner * perGroup * (s[0] / group))) * perGroup;
            b.setDouble(i, w.getDouble(i) * scale[(int) ch]);
        }
        return b.build();
    }

    private static Tensor scaleGemm(Tensor w, double[] scale, boolean transB) {
        long[] s = w.shape();
        Tensor.Builder b = Tensor.builder(w.type(), s);
        for (int i = 0; i < w.size(); i++) {
            int col = transB ? (int) (i / s[1]) : (int) (i % s[1]);
            b.setDouble(i, w.getDouble(i) * scale[col]);
        }
        return b.build();
    }

    /** (beta · bias) · s + shift per channel. */
    private static Tensor shiftBias(Optional<Tensor> bias, double[] scale, double[] shift, double beta) {
        double[] out = new double[scale.length];
        for (int c = 0; c < out.length; c++) {
            int ch = c;
            double b = bias.map(t -> t.getDouble(t.size() == 1 ? 0 : ch)).orElse(0.0) * beta;
            out[c] = b * scale[c] + shift[c];
        }
        float[] f = new float[out.length];
        for (int c = 0; c < f.length; c++) f[c] = (float) out[c];
        return Tensor.floats(new long[] {f.length}, f);
    }
}
