package dev.kiln.ir.tensor;

/** One dimension of a tensor shape: a known size, or a named size fixed only at run time. */
public sealed interface Dim {
    static Dim of(long size) { return new Fixed(size); }
    static Dim symbol(String name) { return new Symbolic(name); }

    /** A size known when the graph is built. */
    record Fixed(long size) implements Dim {
        public Fixed {
            if (size < 0) throw new IllegalArgumentException("a dimension cannot be negative: " + size);
        }
        @Override public String toString() { return Long.toString(size); }
    }

    /**
     * A size known only at run time, such as the batch "N". Two dimensions with the same name are
     * the same size; that is what lets broadcasting and MatMul check symbolic shapes.
     */
    record Symbolic(String name) implements Dim {
        public Symbolic {
            if (name.isBlank()) throw new IllegalArgumentException("a symbolic dimension needs a name");
        }
        @Override public String toString() { return name; }
    }
}
