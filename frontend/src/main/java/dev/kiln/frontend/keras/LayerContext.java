package dev.kiln.frontend.keras;

import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a layer's lowering works with: its config, its input tensors for this call, the graph being
 * built and the weights. Values it adds are named {@code layer/what}; layout conversions are
 * shared across layers (a value is transposed at most once each way).
 */
final class LayerContext {
    /** NHWC to NCHW and back. */
    static final List<Long> TO_NCHW = List.of(0L, 3L, 1L, 2L), TO_NHWC = List.of(0L, 2L, 3L, 1L);

    /** The state shared by every layer of one import. */
    record Shared(GraphBuilder graph, KerasWeights weights, Map<String, String> transposed) {
        Shared(GraphBuilder graph, KerasWeights weights) {
            this(graph, weights, new HashMap<>());
        }
    }

    private final Shared shared;
    private final LayerConfig cfg;
    private final List<KerasTensor> inputs;

    LayerContext(Shared shared, LayerConfig cfg, List<KerasTensor> inputs) {
        this.shared = shared;
        this.cfg = cfg;
        this.inputs = List.copyOf(inputs);
    }

    LayerConfig cfg() { return cfg; }
    List<KerasTensor> inputs() { return inputs; }

    KerasFormatException fail(String what) { return cfg.fail(what); }

    /** The one input of a single-input layer. */
    KerasTensor input() {
        if (inputs.size() != 1) throw fail("takes one input, not " + inputs.size());
        return inputs.getFirst();
    }

    String emit(String what, TensorOp op, String... in) {
        return shared.graph().node(cfg.layer().name() + "/" + what, op, in);
    }

    String constant(String what, Tensor value) {
        return shared.graph().constant(cfg.layer().name() + "/" + what, value);
    }

    Tensor weight(String name, long... shape) { return shared.weights().require(cfg, name, shape); }

    java.util.Optional<Tensor> optionalWeight(String name, long... shape) { return shared.weights().find(cfg, name, shape); }

    /** The tensor's shape as Keras sees it (channels last). */
    List<Dim> kerasShape(KerasTensor t) {
        List<Dim> dims = shared.graph().type(t.value()).shape().dims();
        if (!t.channelsFirst()) return dims;
        return List.of(dims.get(0), dims.get(2), dims.get(3), dims.get(1));
    }

    int rank(KerasTensor t) { return kerasShape(t).size(); }

    /** The size of a Keras axis, which must be known when the graph is built (channels, units). */
    long fixedDim(KerasTensor t, int kerasAxis) {
        List<Dim> shape = kerasShape(t);
        int a = kerasAxis < 0 ? kerasAxis + shape.size() : kerasAxis;
        if (shape.get(a) instanceof Dim.Fixed f) return f.size();
        throw fail("needs a known size on axis " + kerasAxis + " of its input, whose shape is " + shape);
    }

    /** The input as an NCHW value, for convolutions and pools. */
    String nchw(KerasTensor t) {
        requireRank(t, 4);
        return t.channelsFirst() ? t.value() : transpose(t.value(), TO_NCHW, "nchw");
    }

    /** The input in Keras's own layout, for layers that depend on element order (Flatten, Reshape, Dense). */
    String nhwc(KerasTensor t) {
        return t.channelsFirst() ? transpose(t.value(), TO_NHWC, "nhwc") : t.value();
    }

    /** A Keras axis (negative counts from the back) as an axis of the tensor's IR value. */
    int irAxis(KerasTensor t, long kerasAxis) {
        int r = rank(t);
        if (kerasAxis < -r || kerasAxis >= r) throw fail("axis " + kerasAxis + " is out of range for an input of rank " + r);
        int a = (int) (kerasAxis < 0 ? kerasAxis + r : kerasAxis);
        if (!t.channelsFirst()) return a;
        return switch (a) {
            case 0 -> 0;
            case 3 -> 1;
            default -> a + 1;
        };
    }

    void requireRank(KerasTensor t, int rank) {
        if (rank(t) != rank) throw fail("needs an input of rank " + rank + ", not " + kerasShape(t));
    }

    private String transpose(String value, List<Long> perm, String suffix) {
        return shared.transposed().computeIfAbsent(value + "->" + suffix,
                k -> shared.graph().node(value + "/" + suffix, new LayoutOp.Transpose(perm), value));
    }

    /** Inputs of a merge layer in one layout: channels-first when any rank-4 input is. */
    List<String> aligned() {
        boolean first = inputs.stream().anyMatch(KerasTensor::channelsFirst);
        int r = rank(inputs.getFirst());
        List<String> out = new ArrayList<>();
        for (KerasTensor t : inputs) {
            if (rank(t) != r) throw fail("inputs must have one rank; got " + inputs.stream().map(this::kerasShape).toList());
            out.add(first ? nchw(t) : t.value());
        }
        return out;
    }

    /** The layout of {@link #aligned()}'s values. */
    boolean alignedChannelsFirst() {
        return inputs.stream().anyMatch(KerasTensor::channelsFirst);
    }
}
