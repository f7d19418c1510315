package dev.kiln.ir.tensor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Readable text of a graph for EXPLAIN and golden tests: one line per input, initializer (type
 * only: weights are not printed), node and output. With inferred types, each node line ends with
 * the types of its outputs.
 */
public final class TensorGraphPrinter {
    private TensorGraphPrinter() {}

    public static String print(TensorGraph g) {
        return print(g, Optional.empty());
    }

    public static String print(TensorGraph g, Optional<TensorShapeInference.Result> types) {
        StringBuilder sb = new StringBuilder("graph ").append(g.name()).append('\n');
        for (TensorValue in : g.inputs()) sb.append("  input ").append(in.name()).append(": ").append(in.type()).append('\n');
        for (Map.Entry<String, Tensor> init : g.initializers().entrySet()) {
            sb.append("  const ").append(init.getKey()).append(": ").append(init.getValue().tensorType());
            if (init.getValue().size() <= 8) sb.append(" = ").append(init.getValue());
            sb.append('\n');
        }
        for (TensorNode n : g.nodes()) {
            sb.append("  ").append(String.join(", ", n.outputs())).append(" = ").append(n.op().opName());
            String attrs = attributes(n.op());
            if (!attrs.isEmpty()) sb.append('[').append(attrs).append(']');
            sb.append('(').append(n.inputs().stream().map(i -> i.orElse("_")).collect(Collectors.joining(", "))).append(')');
            sb.append("  # ").append(n.name());
            types.ifPresent(r -> sb.append(" -> ").append(n.outputs().stream().map(o -> r.type(o).toString()).collect(Collectors.joining(", "))));
            sb.append('\n');
        }
        for (TensorValue out : g.outputs()) sb.append("  output ").append(out.name()).append(": ").append(out.type()).append('\n');
        return sb.toString();
    }

    /** The record's components other than what opName already says, as name=value. */
    static String attributes(TensorOp op) {
        List<String> parts = new java.util.ArrayList<>();
        for (var c : op.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(op);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (v instanceof Enum<?> e && (op instanceof ElementwiseOp.Unary || op instanceof ElementwiseOp.Binary
                    || op instanceof ElementwiseOp.Variadic || op instanceof ReductionOp.Reduce) && c.getName().equals("fn")) continue;
            if (v instanceof Window w) {
                String ws = window(w);
                if (!ws.isEmpty()) parts.add(ws);
                continue;
            }
            if (v instanceof Optional<?> o) {
                if (o.isEmpty()) continue;
                v = o.get();
            }
            if (v instanceof List<?> l && l.isEmpty()) continue;
            parts.add(c.getName() + "=" + (v instanceof Enum<?> e ? e.name().toLowerCase(java.util.Locale.ROOT) : v));
        }
        return String.join(", ", parts);
    }

    private static String window(Window w) {
        List<String> parts = new java.util.ArrayList<>();
        if (w.autoPad() != AutoPad.NOTSET) parts.add("auto_pad=" + w.autoPad().name().toLowerCase(java.util.Locale.ROOT));
        if (!w.kernelShape().isEmpty()) parts.add("kernel=" + w.kernelShape());
        if (!w.strides().isEmpty()) parts.add("strides=" + w.strides());
        if (!w.pads().isEmpty()) parts.add("pads=" + w.pads());
        if (!w.dilations().isEmpty()) parts.add("dilations=" + w.dilations());
        return String.join(", ", parts);
    }
}
