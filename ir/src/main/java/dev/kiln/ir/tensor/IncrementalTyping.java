package dev.kiln.ir.tensor;

import dev.kiln.ir.tensor.eval.Kernels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Types a graph while it is being built, one node at a time, so that a front end can ask for the
 * type of what it has built so far (an importer needs an input's rank or element type to choose a
 * lowering) and a typing error surfaces at the node that causes it. {@link TensorShapeInference}
 * runs the same steps over a finished graph.
 */
public final class IncrementalTyping {
    /** Results of more elements than this are not folded: shape computations are tiny. */
    static final int FOLD_LIMIT = 4096;

    private final Map<String, TensorType> types = new LinkedHashMap<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();

    /** Starts from the graph inputs and the initializers (an initializer that is also an input is only a default, not a constant). */
    public IncrementalTyping(List<TensorValue> inputs, Map<String, Tensor> initializers) {
        for (TensorValue in : inputs) types.put(in.name(), in.type());
        initializers.forEach((name, value) -> {
            if (!types.containsKey(name)) {
                types.put(name, value.tensorType());
                constants.put(name, value);
            }
        });
    }

    /** Adds a constant value defined after the start (a Constant an importer turned into an initializer). */
    public void addConstant(String name, Tensor value) {
        requireNew(name, "constant");
        types.put(name, value.tensorType());
        constants.put(name, value);
    }

    /**
     * Types one node whose inputs are all defined, folding it when its inputs are constant and its
     * outputs small; returns the output types.
     *
     * @throws TensorGraphException naming the node when an input is undefined or the node is ill typed
     */
    public List<TensorType> add(TensorNode node) {
        List<Optional<TensorType>> inTypes = new ArrayList<>();
        List<Optional<Tensor>> inConsts = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            Optional<String> name = node.inputs().get(i);
            if (name.isPresent() && !types.containsKey(name.get())) {
                throw new TensorGraphException("node " + node.describe() + ": input " + i + " '" + name.get() + "' is not defined yet");
            }
            inTypes.add(name.map(types::get));
            inConsts.add(name.flatMap(n -> Optional.ofNullable(constants.get(n))));
        }
        List<TensorType> outs = TensorOpTyping.outputTypes(new NodeTyping(node, inTypes, inConsts));
        for (int i = 0; i < outs.size(); i++) {
            requireNew(node.outputs().get(i), "node " + node.describe());
            types.put(node.outputs().get(i), outs.get(i));
        }
        fold(node, inTypes, inConsts, outs).ifPresent(values -> {
            for (int i = 0; i < values.size(); i++) constants.put(node.outputs().get(i), values.get(i));
        });
        return outs;
    }

    public Optional<TensorType> type(String value) { return Optional.ofNullable(types.get(value)); }

    /** The value, when it is an initializer, a Constant or folded from constants. */
    public Optional<Tensor> constant(String value) { return Optional.ofNullable(constants.get(value)); }

    public boolean isDefined(String value) { return types.containsKey(value); }

    public TensorShapeInference.Result result() { return new TensorShapeInference.Result(types, constants); }

    private void requireNew(String name, String by) {
        if (types.containsKey(name)) throw new TensorGraphException(by + ": value '" + name + "' is already defined; every value is assigned once");
    }

    private static Optional<List<Tensor>> fold(TensorNode node, List<Optional<TensorType>> inTypes, List<Optional<Tensor>> inConsts,
                                               List<TensorType> outs) {
        for (TensorType t : outs) {
            if (t.shape().elementCount().map(n -> n > FOLD_LIMIT).orElse(true)) return Optional.empty();
        }
        if (node.op() instanceof LayoutOp.Shape s) {
            // The shape of a value is known whenever its dims are, whatever the value.
            TensorType x = inTypes.getFirst().orElseThrow();
            if (!x.shape().isStatic()) return Optional.empty();
            long[] sizes = x.shape().sizes().orElseThrow();
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
}
