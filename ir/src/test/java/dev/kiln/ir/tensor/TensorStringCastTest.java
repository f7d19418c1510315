package dev.kiln.ir.tensor;

import static dev.kiln.ir.tensor.TensorTesting.run1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cast to and from STRING as ONNX's reference (numpy's astype) writes and reads numbers. */
class TensorStringCastTest {
    private static List<String> strings(Tensor t) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) out.add(t.getString(i));
        return out;
    }

    @Test
    void floatsAsTheirShortestDecimalsInNumpysNotation() {
        Tensor x = Tensor.floats(new long[] {10}, 0.9767611f, 1e-5f, 1.5e-5f, 1e-4f, 123456.78f, 1e16f, -2.5e20f, 0f, -0f, 3f);
        assertEquals(List.of("0.9767611", "1e-05", "1.5e-05", "0.0001", "123456.78", "1e+16", "-2.5e+20", "0.0", "-0.0", "3.0"),
                strings(run1(new ElementwiseOp.Cast(ElementType.STRING), x)));
        Tensor d = Tensor.doubles(new long[] {3}, 0.1, Double.NaN, Double.NEGATIVE_INFINITY);
        assertEquals(List.of("0.1", "NaN", "-INF"), strings(run1(new ElementwiseOp.Cast(ElementType.STRING), d)));
        assertEquals(List.of("-7", "42"), strings(run1(new ElementwiseOp.Cast(ElementType.STRING), Tensor.int64(new long[] {2}, -7, 42))));
        assertEquals(List.of("True", "False"), strings(run1(new ElementwiseOp.Cast(ElementType.STRING), Tensor.bools(new long[] {2}, true, false))));
    }

    @Test
    void stringsReadAsNumbersAndRefusedWhenTheyAreNot() {
        Tensor s = Tensor.strings(new long[] {6}, "0.47892547", " -3 ", "NaN", "inf", "+INF", "-INF");
        Tensor f = run1(new ElementwiseOp.Cast(ElementType.FLOAT32), s);
        assertEquals(0.47892547f, (float) f.getDouble(0));
        assertEquals(-3.0, f.getDouble(1));
        assertTrue(Double.isNaN(f.getDouble(2)));
        assertEquals(List.of(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY), List.of(f.getDouble(3), f.getDouble(4), f.getDouble(5)));
        assertEquals(List.of(12L, -4L), List.of(run1(new ElementwiseOp.Cast(ElementType.INT64), Tensor.strings(new long[] {2}, "12", "-4")).toLongArray()[0],
                run1(new ElementwiseOp.Cast(ElementType.INT64), Tensor.strings(new long[] {2}, "12", "-4")).toLongArray()[1]));
        KilnException e = assertThrows(KilnException.class, () -> run1(new ElementwiseOp.Cast(ElementType.FLOAT32), Tensor.strings(new long[] {1}, "twelve")));
        assertTrue(e.getMessage().contains("cannot cast the string 'twelve' to FLOAT32"), e.getMessage());
    }
}
