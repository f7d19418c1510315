package dev.kiln.ir.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a typing rule sees of one node: the types of its inputs, and their values where they are
 * known constants. Helpers turn every problem into a {@link TensorGraphException} that names the
 * node and op.
 */
public final class NodeTyping {
    private final TensorNode node;
    private final List<Optional<TensorType>> types;
    private final List<Optional<Tensor>> constants;

    public NodeTyping(TensorNode node, List<Optional<TensorType>> types, List<Optional<Tensor>> constants) {
        this.node = node;
        this.types = List.copyOf(types);
        this.constants = List.copyOf(constants);
    }

    public TensorNode node() { return node; }
    public int inputCount() { return types.size(); }

    public TensorGraphException fail(String message) {
        return new TensorGraphException("node " + node.describe() + ": " + message);
    }

    /** Checks the number of inputs given (absent optional ones count when not trailing) and outputs. */
    public void arity(int minInputs, int maxInputs, int minOutputs, int maxOutputs) {
        int n = types.size();
        while (n > 0 && types.get(n - 1).isEmpty()) n--;
        if (n < minInputs || n > maxInputs) {
            throw fail("takes " + range(minInputs, maxInputs) + " inputs, not " + n);
        }
        int outs = node.outputs().size();
        if (outs < minOutputs || outs > maxOutputs) {
            throw fail("has " + range(minOutputs, maxOutputs) + " outputs, not " + outs);
        }
    }

    private static String range(int lo, int hi) {
        return lo == hi ? Integer.toString(lo) : hi == Integer.MAX_VALUE ? lo + " or more" : lo + " to " + hi;
    }

    public boolean has(int i) {
        return i < types.size() && types.get(i).isPresent();
    }

    /** The type of a required input. */
    public TensorType type(int i) {
        if (!has(i)) throw fail("input " + i + " is required");
        return types.get(i).get();
    }

    public TensorShape shape(int i) { return type(i).shape(); }
    public ElementType element(int i) { return type(i).element(); }

    public Optional<Tensor> constant(int i) {
        return i < constants.size() ? constants.get(i) : Optional.empty();
    }

    /** The integer elements of a constant input (shape, axes, pads ...), if it is a known constant. */
    public Optional<long[]> longs(int i) {
        Optional<Tensor> c = constant(i);
        if (c.isEmpty()) return Optional.empty();
        if (!c.get().type().isInteger()) throw fail("input " + i + " must be an integer tensor, not " + c.get().type());
        return Optional.of(c.get().toLongArray());
    }

    public void requireFloat(int i) {
        if (!element(i).isFloating()) throw fail("input " + i + " must be a floating-point tensor, not " + type(i));
    }

    public void requireNumeric(int i) {
        if (!element(i).isNumeric()) throw fail("input " + i + " must be numeric, not " + type(i));
    }

    public void requireElement(int i, ElementType... allowed) {
        for (ElementType e : allowed) if (element(i) == e) return;
        throw fail("input " + i + " must be one of " + List.of(allowed) + ", not " + type(i));
    }

    public void requireSameElement(int i, int j) {
        if (element(i) != element(j)) throw fail("inputs " + i + " and " + j + " must have the same element type, not " + type(i) + " and " + type(j));
    }

    public void requireRank(int i, int rank) {
        if (shape(i).rank() != rank) throw fail("input " + i + " must have rank " + rank + ", not " + type(i));
    }

    /** Normalizes an axis against a rank, or fails naming the attribute. */
    public int axis(String what, long axis, int rank) {
        try {
            return TensorShape.normalizeAxis(axis, rank);
        } catch (IllegalArgumentException e) {
            throw fail(what + ": " + e.getMessage());
        }
    }

    public TensorShape broadcast(TensorShape a, TensorShape b) {
        try {
            return TensorShape.broadcast(a, b);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    /** A dimension unknown until run time, named after the node so that it is stable across runs. */
    public Dim fresh(int output, int axis) {
        return new Dim.Symbolic(node.name() + (output == 0 ? "" : "#" + output) + "_d" + axis);
    }

    /** A shape of the given rank whose dimensions are all fresh symbols. */
    public TensorShape freshShape(int output, int rank) {
        List<Dim> ds = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) ds.add(fresh(output, i));
        return new TensorShape(ds);
    }

    public static long fixed(Dim d) {
        return d instanceof Dim.Fixed f ? f.size() : -1;
    }
}
