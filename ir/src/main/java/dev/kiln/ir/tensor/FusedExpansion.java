package dev.kiln.ir.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The primitive nodes a fused node stands for. Its inputs are named {@code $in<i>} and internal
 * values {@code $t<i>}, so the expansion is independent of the graph around it; the last node
 * writes {@code $out}.
 */
public final class FusedExpansion {
    public static final String OUT = "$out";

    private FusedExpansion() {}

    public static String input(int i) { return "$in" + i; }

    /** The primitive nodes, the constants they need (Clip limits), in order. */
    public record Expanded(List<TensorNode> nodes, java.util.Map<String, Tensor> constants) {}

    public static Expanded expand(FusedOp op, int inputCount) {
        List<TensorNode> nodes = new ArrayList<>();
        java.util.Map<String, Tensor> consts = new java.util.LinkedHashMap<>();
        List<Optional<String>> ins = new ArrayList<>();
        for (int i = 0; i < inputCount; i++) ins.add(Optional.of(input(i)));
        switch (op) {
            case FusedOp.ConvActivation c -> activate(nodes, consts, new TensorNode("conv", c.conv(), ins, List.of("$t0")), c.activation());
            case FusedOp.GemmActivation g -> activate(nodes, consts, new TensorNode("gemm", g.gemm(), ins, List.of("$t0")), g.activation());
            case FusedOp.MatMulBias m -> {
                TensorNode mm = TensorNode.of("matmul", new NeuralOp.MatMul(), List.of(input(0), input(1)), List.of("$t0"));
                if (inputCount > 2) {
                    nodes.add(mm);
                    mm = TensorNode.of("bias", new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.ADD), List.of("$t0", input(2)), List.of("$t1"));
                }
                activate(nodes, consts, mm, m.activation());
            }
            case FusedOp.ResizeNormalize rn -> {
                nodes.add(TensorNode.of("to_float", new ElementwiseOp.Cast(ElementType.FLOAT32), List.of(input(0)), List.of("$t0")));
                nodes.add(new TensorNode("resize", rn.resize(), List.of(Optional.of("$t0"), Optional.empty(), Optional.empty(), Optional.of(input(1))), List.of("$t1")));
                String v = "$t1";
                int t = 2;
                if (!rn.channelOrder().isEmpty()) {
                    String order = "$c" + consts.size();
                    consts.put(order, Tensor.int64(new long[] {rn.channelOrder().size()}, rn.channelOrder().stream().mapToLong(Long::longValue).toArray()));
                    nodes.add(TensorNode.of("channels", new LayoutOp.Gather(-1), List.of(v, order), List.of("$t" + t)));
                    v = "$t" + t++;
                }
                for (int i = 0; i < rn.steps().size(); i++) {
                    FusedOp.ChannelStep st = rn.steps().get(i);
                    String operand = input(2 + i);
                    nodes.add(TensorNode.of("step" + i, new ElementwiseOp.Binary(st.fn()), st.valueFirst() ? List.of(v, operand) : List.of(operand, v), List.of("$t" + t)));
                    v = "$t" + t++;
                }
                if (rn.channelsFirst()) nodes.add(TensorNode.of("layout", new LayoutOp.Transpose(List.of(0L, 3L, 1L, 2L)), List.of(v), List.of("$t" + t)));
                // the last node writes $out
                TensorNode last = nodes.removeLast();
                nodes.add(new TensorNode(last.name(), last.op(), last.inputs(), List.of(OUT)));
            }
            case FusedOp.ElementwiseChain ch -> {
                for (int i = 0; i < ch.steps().size(); i++) {
                    FusedOp.ChainStep s = ch.steps().get(i);
                    List<String> args = s.args().stream().map(a -> switch (a) {
                        case FusedOp.ChainArg.Input in -> input(in.index());
                        case FusedOp.ChainArg.Step st -> "$t" + st.index();
                    }).toList();
                    String out = i == ch.steps().size() - 1 ? OUT : "$t" + i;
                    nodes.add(TensorNode.of("step" + i, s.op(), args, List.of(out)));
                }
            }
        }
        return new Expanded(nodes, consts);
    }

    /** Adds {@code base} and the activation after it, renaming the last output to {@link #OUT}. */
    private static void activate(List<TensorNode> nodes, java.util.Map<String, Tensor> consts, TensorNode base, Activation act) {
        List<Activation.OpWithConstants> ops = act.asOps();
        if (ops.isEmpty()) {
            nodes.add(new TensorNode(base.name(), base.op(), base.inputs(), List.of(OUT)));
            return;
        }
        nodes.add(base);
        String value = base.outputs().getFirst();
        for (int i = 0; i < ops.size(); i++) {
            Activation.OpWithConstants a = ops.get(i);
            List<String> args = new ArrayList<>();
            for (Tensor c : a.constants()) {
                String name = "$c" + consts.size();
                consts.put(name, c);
                args.add(name);
            }
            args.add(a.constantsFirst() ? args.size() : 0, value);
            String out = i == ops.size() - 1 ? OUT : "$a" + i;
            nodes.add(TensorNode.of("act" + i, a.op(), args, List.of(out)));
            value = out;
        }
    }
}
