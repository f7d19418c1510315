package dev.kiln.ir.tensor;

import dev.kiln.ir.tensor.eval.Kernels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Types every value of a graph from its input types. Symbolic dims flow through; shapes that
 * depend on values use constants: initializers, Constant nodes, and the results of small nodes
 * whose inputs are all constant (so Shape → Gather → Concat → Reshape chains resolve when the
 * dims involved are known). Folding reuses the interpreter's kernels, so it means what running
 * the graph means; it is limited to small results because its only purpose here is shapes.
 */
public final class TensorShapeInference {
    /** Results of more elements than this are not folded: shape computations are tiny. */
    static final int FOLD_LIMIT = 4096;

    private TensorShapeInference() {}

    /** The type of every value, and the values known to be constant. */
    public record Result(Map<String, TensorType> types, Map<String, Tensor> constants) {
        public Result {
            types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
            constants = Collections.unmodifiableMap(new LinkedHashMap<>(constants));
        }

        public TensorType type(String value) {
            TensorType t = types.get(value);
            if (t == null) throw new IllegalArgumentException("no value named '" + value + "'");
            return t;
        }
    }

    public static Result infer(TensorGraph g) {
        TensorGraphValidator.validate(g);
        Map<String, TensorType> types = new LinkedHashMap<>();
        Map<String, Tensor> constants = new LinkedHashMap<>();
        for (TensorValue in : g.inputs()) types.put(in.name(), in.type());
        g.initializers().forEach((name, value) -> {
            // An initializer that is also a graph input is only a default: the caller may override it.
            if (!types.containsKey(name)) {
                types.put(name, value.tensorType());
                constants.put(name, value);
            }
        });
        for (TensorNode node : g.nodes()) {
            List<Optional<TensorType>> inTypes = new ArrayList<>();
            List<Optional<Tensor>> inConsts = new ArrayList<>();
            for (Optional<String> name : node.inputs()) {
                inTypes.add(name.map(types::get));
                inConsts.add(name.flatMap(n -> Optional.ofNullable(constants.get(n))));
            }
            List<TensorType> outs = TensorOpTyping.outputTypes(new NodeTyping(node, inTypes, inConsts));
            for (int i = 0; i < outs.size(); i++) types.put(node.outputs().get(i), outs.get(i));
            fold(node, inTypes, inConsts, outs).ifPresent(values -> {
                for (int i = 0; i < values.size(); i++) constants.put(node.outputs().get(i), values.get(i));
            });
        }
        for (TensorValue out : g.outputs()) checkDeclared(g, out, types.get(out.name()));
        return new Result(types, constants);
    }

    private static Optional<List<Tensor>> fold(TensorNode node, List<Optional<TensorType>> inTypes, List<Optional<Tensor>> inConsts,
                                               List<TensorType> outs) {
        for (TensorType t : outs) {
            if (t.shape().elementCount().map(n -> n > FOLD_LIMIT).orElse(true)) return Optional.empty();
        }
        if (node.op() instanceof LayoutOp.Shape) {
            // The shape of a value is known whenever its dims are, whatever the value.
            TensorType x = inTypes.getFirst().orElseThrow();
            if (!x.shape().isStatic()) return Optional.empty();
            long[] sizes = x.shape().sizes().orElseThrow();
            LayoutOp.Shape s = (LayoutOp.Shape) node.op();
            int start = (int) LayoutTyping.clampAxis(s.start(), sizes.length);
            int length = (int) ((Dim.Fixed) outs.getFirst().shape().dim(0)).size();
            return Optional.of(List.of(Tensor.vector(java.util.Arrays.copyOfRange(sizes, start, start + length))));
        }
        for (int i = 0; i < inTypes.size(); i++) {
            if (inTypes.get(i).isPresent() && inConsts.get(i).isEmpty()) return Optional.empty();
        }
        try {
            return Optional.of(Kernels.evaluate(node, inConsts, outs));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new TensorGraphException("node " + node.describe() + ": " + e.getMessage());
        }
    }

    private static void checkDeclared(TensorGraph g, TensorValue declared, TensorType inferred) {
        TensorType d = declared.type();
        boolean ok = d.element() == inferred.element() && d.rank() == inferred.rank();
        for (int i = 0; ok && i < d.rank(); i++) {
            ok = !(d.shape().dim(i) instanceof Dim.Fixed a && inferred.shape().dim(i) instanceof Dim.Fixed b && a.size() != b.size());
        }
        if (!ok) {
            throw new TensorGraphException("graph " + g.name() + ": output '" + declared.name() + "' is declared " + d
                    + " but computes " + inferred);
        }
    }
}
