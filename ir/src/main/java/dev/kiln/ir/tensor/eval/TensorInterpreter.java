package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.NodeTyping;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorGraphException;
import dev.kiln.ir.tensor.TensorGraphValidator;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorOpTyping;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference semantics of tensor graphs: evaluates nodes one by one with straightforward loops.
 * Slow on purpose; it is the oracle generated code is tested against, as
 * {@link dev.kiln.ir.eval.Interpreter} is for relational plans.
 *
 * <p>Numerics: float32 results are computed in double and rounded once to float32 per element;
 * sums (convolution, matmul, reductions, softmax and normalization statistics) accumulate in
 * double. Results can differ from a float32 engine by a few ulps, never more than reordering its
 * float sums would.
 */
public final class TensorInterpreter {
    private TensorInterpreter() {}

    /**
     * Kernels a runner brings for some nodes (fused ones with shapes that vary per call, which a
     * compiled program cannot take): empty where a node is not theirs, so the reference kernel runs.
     * They must compute what the reference would, up to float rounding.
     */
    @FunctionalInterface
    public interface NodeKernels {
        Optional<List<Tensor>> evaluate(TensorNode node, List<Optional<Tensor>> in, List<TensorType> outTypes);
    }

    /** Runs the graph; returns its outputs by name, in the graph's order. */
    public static Map<String, Tensor> run(TensorGraph g, Map<String, Tensor> inputs) {
        return run(g, inputs, (n, in, t) -> Optional.empty());
    }

    /** Runs the graph with {@code kernels} for the nodes they take; returns its outputs by name, in the graph's order. */
    public static Map<String, Tensor> run(TensorGraph g, Map<String, Tensor> inputs, NodeKernels kernels) {
        TensorGraphValidator.validate(g);
        Map<String, Tensor> env = new HashMap<>(g.initializers());
        bindInputs(g, inputs, env);
        for (TensorNode node : g.nodes()) {
            List<Optional<Tensor>> in = new ArrayList<>();
            List<Optional<TensorType>> types = new ArrayList<>();
            for (Optional<String> name : node.inputs()) {
                Optional<Tensor> v = name.map(env::get);
                in.add(v);
                types.add(v.map(Tensor::tensorType));
            }
            List<TensorType> outTypes = TensorOpTyping.outputTypes(new NodeTyping(node, types, in));
            List<Tensor> outs;
            try {
                Optional<List<Tensor>> own = kernels.evaluate(node, in, outTypes);
                outs = own.isPresent() ? own.get() : Kernels.evaluate(node, in, outTypes);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new TensorGraphException("node " + node.describe() + ": " + e.getMessage());
            }
            for (int i = 0; i < outs.size(); i++) {
                if (!outs.get(i).tensorType().equals(outTypes.get(i))) {
                    throw new IllegalStateException("node " + node.describe() + " computed " + outs.get(i).tensorType()
                            + " for output " + i + ", typed " + outTypes.get(i));
                }
                env.put(node.outputs().get(i), outs.get(i));
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (TensorValue out : g.outputs()) result.put(out.name(), env.get(out.name()));
        return result;
    }

    /** Checks each input against its declared type; a symbolic dim takes one size across all inputs. */
    private static void bindInputs(TensorGraph g, Map<String, Tensor> inputs, Map<String, Tensor> env) {
        for (String name : inputs.keySet()) {
            if (g.inputs().stream().noneMatch(v -> v.name().equals(name))) {
                throw new TensorGraphException("graph " + g.name() + " has no input '" + name + "'; its inputs are "
                        + g.inputs().stream().map(TensorValue::name).toList());
            }
        }
        Map<String, Long> symbols = new HashMap<>();
        for (TensorValue v : g.inputs()) {
            Tensor t = inputs.get(v.name());
            if (t == null) {
                if (g.initializers().containsKey(v.name())) continue;
                throw new TensorGraphException("graph " + g.name() + ": no value for input '" + v.name() + "' of type " + v.type());
            }
            String where = "graph " + g.name() + ", input '" + v.name() + "': ";
            if (t.type() != v.type().element()) throw new TensorGraphException(where + "expected " + v.type() + ", got " + t.tensorType());
            if (t.rank() != v.type().rank()) throw new TensorGraphException(where + "expected rank " + v.type().rank() + " " + v.type() + ", got " + t.tensorType());
            for (int i = 0; i < t.rank(); i++) {
                Dim d = v.type().shape().dim(i);
                long size = t.dim(i);
                switch (d) {
                    case Dim.Fixed f when f.size() != size ->
                            throw new TensorGraphException(where + "dim " + i + " must be " + f.size() + ", got " + t.tensorType());
                    case Dim.Fixed f -> { }
                    case Dim.Symbolic s -> {
                        Long bound = symbols.putIfAbsent(s.name(), size);
                        if (bound != null && bound != size) {
                            throw new TensorGraphException(where + "dim " + i + " is " + s.name() + ", already bound to "
                                    + bound + " by another input, but is " + size + " here");
                        }
                    }
                }
            }
            env.put(v.name(), t);
        }
    }
}
