package dev.kiln.codegen.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.ir.tensor.Tensor;

/**
 * Compares compiled results with the interpreter's. Tolerance: |got - want| ≤ 2e-4 · (1 + |want|).
 * The interpreter sums in double and rounds once; compiled GEMMs and convolutions sum K float32
 * products in blocked order (relative error up to ~K·2^-24 of the sum of |terms|, ~1e-5 for the
 * K ≤ 1536 here with unit-scale data), and fused elementwise chains skip the interpreter's
 * rounding between steps; 2e-4 bounds both with margin yet catches any wrong index or formula.
 */
final class Oracle {
    private Oracle() {}

    static void assertClose(Tensor want, Tensor got, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        for (int i = 0; i < want.size(); i++) {
            double w = want.getDouble(i), g = got.getDouble(i);
            if (!(Math.abs(w - g) <= 2e-4 * (1 + Math.abs(w)))) {
                fail(what + ": element " + i + " is " + g + ", the interpreter says " + w);
            }
        }
    }
}
