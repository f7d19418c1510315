package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.Tensor;
import java.util.Arrays;
import java.util.Optional;

/**
 * Compares a computed tensor with an expected one: type and shape exactly, integers, booleans and
 * strings exactly, floating-point values within {@code atol + rtol * |expected|} (NaN matches NaN,
 * infinities must be equal), as numpy's {@code assert_allclose} does.
 */
record TensorComparison(double rtol, double atol) {
    /** ONNX's own backend tests (onnx/backend/test/runner). */
    static final TensorComparison ONNX = new TensorComparison(1e-3, 1e-7);
    /** Kiln's bar for the import path: 1e-4 absolute plus relative. */
    static final TensorComparison KILN = new TensorComparison(1e-4, 1e-4);

    /** How {@code actual} differs from {@code expected}; empty when it matches. */
    Optional<String> diff(Tensor expected, Tensor actual) {
        if (expected.type() != actual.type()) return Optional.of("type " + actual.type() + " where " + expected.type() + " was expected");
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            return Optional.of("shape " + Arrays.toString(actual.shape()) + " where " + Arrays.toString(expected.shape()) + " was expected");
        }
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.size(); i++) {
            if (expected.type() == dev.kiln.ir.tensor.ElementType.STRING) {
                if (!expected.getString(i).equals(actual.getString(i))) {
                    return Optional.of("element " + i + " is \"" + actual.getString(i) + "\" where \"" + expected.getString(i) + "\" was expected");
                }
            } else if (!expected.type().isFloating()) {
                if (expected.getLong(i) != actual.getLong(i)) {
                    return Optional.of("element " + i + " is " + actual.getLong(i) + " where " + expected.getLong(i) + " was expected");
                }
            } else {
                double e = expected.getDouble(i), a = actual.getDouble(i);
                boolean ok = Double.isNaN(e) ? Double.isNaN(a) : Double.isInfinite(e) ? e == a : Math.abs(a - e) <= atol + rtol * Math.abs(e);
                if (!ok) {
                    double excess = Double.isNaN(a) || Double.isInfinite(a) || Double.isInfinite(e) || Double.isNaN(e) ? Double.POSITIVE_INFINITY
                            : Math.abs(a - e) / (atol + rtol * Math.abs(e));
                    if (worstAt < 0 || excess > worst) {
                        worst = excess;
                        worstAt = i;
                    }
                }
            }
        }
        if (worstAt < 0) return Optional.empty();
        double e = expected.getDouble(worstAt), a = actual.getDouble(worstAt);
        return Optional.of("element " + worstAt + " is " + a + " where " + e + " was expected (|diff| " + (float) Math.abs(a - e) + ")");
    }

    /** The largest |actual - expected| over floating-point elements of equal-shaped tensors. */
    static double maxAbsDiff(Tensor expected, Tensor actual) {
        double m = 0;
        for (int i = 0; i < expected.size(); i++) m = Math.max(m, Math.abs(expected.getDouble(i) - actual.getDouble(i)));
        return m;
    }
}
