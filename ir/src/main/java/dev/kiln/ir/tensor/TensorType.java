package dev.kiln.ir.tensor;

/** The static type of a tensor value: element type and (possibly symbolic) shape. */
public record TensorType(ElementType element, TensorShape shape) {
    public static TensorType of(ElementType element, long... dims) {
        return new TensorType(element, TensorShape.of(dims));
    }

    public int rank() { return shape.rank(); }

    @Override public String toString() { return element.name().toLowerCase(java.util.Locale.ROOT) + shape; }
}
