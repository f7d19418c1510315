package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraphException;
import dev.kiln.ir.tensor.TensorOp;
import dev.kiln.ir.tensor.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One ONNX node while it is lowered: typed attribute reads with the spec's defaults, its inputs'
 * types and constant values, and the emission of tensor IR nodes. Every attribute the node carries
 * must be read (or explicitly ignored, with a reason) by its lowering, so an attribute Kiln does
 * not understand is an error rather than silently different results.
 */
final class ImportNode {
    private final OnnxNode node;
    private final int index;
    private final long opset;
    private final ImportGraph graph;
    private final Set<String> consumed;
    private final Set<String> read = new HashSet<>();
    private final String name;
    private int emitted;

    /** {@code consumed}: the ONNX values some node or graph output reads, to tell used outputs from unused ones. */
    ImportNode(OnnxNode node, int index, long opset, ImportGraph graph, Set<String> consumed) {
        this.node = node;
        this.index = index;
        this.opset = opset;
        this.graph = graph;
        this.consumed = consumed;
        this.name = graph.freshNode(node.name().isEmpty() ? node.opType() + "_" + index : node.name());
    }

    long opset() { return opset; }
    String opType() { return node.opType(); }

    /** "node 'conv1' (Conv, opset 11, domain '')", how every import error starts. */
    String describe() {
        String n = node.name().isEmpty() ? "#" + index + " (unnamed)" : "'" + node.name() + "'";
        return "node " + n + " (" + node.opType() + ", opset " + opset + ", domain '" + node.domain() + "')";
    }

    OnnxImportException fail(String message) {
        return new OnnxImportException(describe() + ": " + message);
    }

    // ---- attributes ----------------------------------------------------------------------------

    Optional<OnnxAttribute> attribute(String attr) {
        read.add(attr);
        return node.attribute(attr);
    }

    long i(String attr, long dflt) { return attribute(attr).map(a -> typed(a, a::i)).orElse(dflt); }
    float f(String attr, float dflt) { return attribute(attr).map(a -> typed(a, a::f)).orElse(dflt); }
    String s(String attr, String dflt) { return attribute(attr).map(a -> typed(a, a::s)).orElse(dflt); }
    List<Long> ints(String attr) { return attribute(attr).map(a -> typed(a, a::ints)).orElse(List.of()); }
    Optional<List<Long>> optionalInts(String attr) { return attribute(attr).map(a -> typed(a, a::ints)); }
    Optional<List<Float>> optionalFloats(String attr) { return attribute(attr).map(a -> typed(a, a::floats)); }
    List<String> strings(String attr) { return attribute(attr).map(a -> typed(a, a::strings)).orElse(List.of()); }
    Optional<OnnxTensor> tensorAttribute(String attr) { return attribute(attr).map(a -> typed(a, a::t)); }
    boolean flag(String attr, boolean dflt) { return i(attr, dflt ? 1 : 0) != 0; }

    long requiredInt(String attr) {
        return attribute(attr).map(a -> typed(a, a::i)).orElseThrow(() -> fail("attribute '" + attr + "' is required"));
    }

    private <T> T typed(OnnxAttribute a, java.util.function.Supplier<T> getter) {
        try {
            return getter.get();
        } catch (dev.kiln.ir.KilnException e) {
            throw fail(e.getMessage());
        }
    }

    /** Marks attributes that do not change inference results (Dropout's seed, BatchNormalization's momentum). */
    void ignore(String... attrs) {
        read.addAll(Arrays.asList(attrs));
    }

    /** Fails when the node carries an attribute its lowering did not read. */
    void requireAllAttributesRead() {
        for (OnnxAttribute a : node.attributes()) {
            if (!read.contains(a.name())) {
                throw fail("attribute '" + a.name() + "' is not supported by Kiln's import of " + node.opType()
                        + (read.isEmpty() ? " (it takes none)" : "; it reads " + read.stream().sorted().toList()));
            }
        }
    }

    // ---- inputs and outputs ----------------------------------------------------------------------

    int inputCount() { return node.inputs().size(); }

    /** Input {@code i}, empty when left out ("") or past the end. */
    Optional<String> input(int i) {
        return i < node.inputs().size() && !node.inputs().get(i).isEmpty() ? Optional.of(node.inputs().get(i)) : Optional.empty();
    }

    String requiredInput(int i) {
        return input(i).orElseThrow(() -> fail("input " + i + " is required"));
    }

    /** Inputs 0 .. n-1 as the IR takes them (absent ones empty), trailing absent ones dropped. */
    List<Optional<String>> inputs(int n) {
        List<Optional<String>> in = new ArrayList<>();
        for (int i = 0; i < Math.min(n, inputCount()); i++) in.add(input(i));
        while (!in.isEmpty() && in.getLast().isEmpty()) in.removeLast();
        return in;
    }

    List<Optional<String>> allInputs() { return inputs(inputCount()); }

    TensorType type(String value) {
        return graph.type(value).orElseThrow(() -> fail("value '" + value + "' is not defined by an earlier node, input or initializer"));
    }

    TensorType inputType(int i) { return type(requiredInput(i)); }

    Optional<Tensor> constant(String value) { return graph.constant(value); }

    /** Output {@code i}, empty when left out or past the end. */
    Optional<String> output(int i) {
        return i < node.outputs().size() && !node.outputs().get(i).isEmpty() ? Optional.of(node.outputs().get(i)) : Optional.empty();
    }

    String output0() {
        return output(0).orElseThrow(() -> fail("output 0 is required"));
    }

    int outputCount() { return node.outputs().size(); }

    /** Whether output {@code i} is given and read by a later node or a graph output. */
    boolean outputUsed(int i) {
        return output(i).map(consumed::contains).orElse(false);
    }

    /**
     * The first {@code n} outputs named for an IR node: trailing unnamed ones dropped, unnamed ones
     * in between given fresh names (the IR names every output it computes).
     */
    List<String> outputs(int n) {
        int last = Math.min(n, outputCount());
        while (last > 0 && output(last - 1).isEmpty()) last--;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            int k = i;
            out.add(output(i).orElseGet(() -> graph.freshValue(name + "/unused" + k)));
        }
        return out;
    }

    /** All of the first {@code n} outputs, unnamed ones (trailing too) given fresh names. */
    List<String> allOutputs(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            out.add(output(i).orElseGet(() -> graph.freshValue(name + "/unused" + k)));
        }
        return out;
    }

    // ---- emission ------------------------------------------------------------------------------------

    /** Emits one IR node; the first takes the ONNX node's name, helpers are named after it. */
    List<TensorType> emit(TensorOp op, List<Optional<String>> inputs, List<String> outputs) {
        String nodeName = emitted++ == 0 ? name : graph.freshNode(name + "/" + op.opName());
        try {
            return graph.addNode(nodeName, op, inputs, outputs);
        } catch (TensorGraphException | IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    /** Emits a node whose inputs are all given, into the node's output 0. */
    void emitSimple(TensorOp op, List<String> inputs) {
        emit(op, inputs.stream().map(Optional::of).toList(), List.of(output0()));
    }

    /** Emits a helper node with one fresh output; returns the output's name. */
    String helper(TensorOp op, List<Optional<String>> inputs, String hint) {
        String out = graph.freshValue(name + "/" + hint);
        emit(op, inputs, List.of(out));
        return out;
    }

    /** Adds a constant the ONNX node gave as an attribute; returns its value name. */
    String constant(String hint, Tensor value) {
        String n = graph.freshValue(name + "/" + hint);
        graph.addInitializer(n, value);
        return n;
    }

    /** Adds a constant under the ONNX node's output name (the Constant op). */
    void defineOutputAsConstant(Tensor value) {
        graph.addInitializer(output0(), value);
    }

    /** The element type of input {@code i}. */
    ElementType element(int i) { return inputType(i).element(); }
}
