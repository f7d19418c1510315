package dev.kiln.runtime.fn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import java.math.BigInteger;
import java.util.Random;
import java.util.function.LongSupplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ArithTest {
    static long edgy(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> Long.MAX_VALUE - r.nextInt(3);
            case 1 -> Long.MIN_VALUE + r.nextInt(3);
            case 2 -> r.nextInt(7) - 3;
            case 3 -> r.nextLong() >> r.nextInt(64);
            default -> (long) Integer.MAX_VALUE + r.nextInt(5) - 2;
        };
    }

    private static void check(BigInteger want, int bits, LongSupplier got) {
        if (want.bitLength() < bits) assertEquals(want.longValue(), got.getAsLong());
        else assertThrows(KilnException.class, got::getAsLong);
    }

    @Property(tries = 5000)
    void exactOpsOverflowExactlyWhenTheTrueResultDoesNotFit(@ForAll long seed) {
        Random r = new Random(seed);
        long a = edgy(r);
        long b = edgy(r);
        BigInteger x = BigInteger.valueOf(a);
        BigInteger y = BigInteger.valueOf(b);
        check(x.add(y), 64, () -> Arith.addExact(a, b, "BIGINT"));
        check(x.subtract(y), 64, () -> Arith.subtractExact(a, b, "BIGINT"));
        check(x.multiply(y), 64, () -> Arith.multiplyExact(a, b, "BIGINT"));
        check(x.negate(), 64, () -> Arith.negateExact(a, "BIGINT"));
        if (b != 0) {
            check(x.divide(y), 64, () -> Arith.divide(a, b));
            check(x.remainder(y), 64, () -> Arith.mod(a, b));
        }
        int ia = (int) a;
        int ib = (int) b;
        BigInteger ix = BigInteger.valueOf(ia);
        BigInteger iy = BigInteger.valueOf(ib);
        check(ix.add(iy), 32, () -> Arith.addExact(ia, ib, "INTEGER"));
        check(ix.subtract(iy), 32, () -> Arith.subtractExact(ia, ib, "INTEGER"));
        check(ix.multiply(iy), 32, () -> Arith.multiplyExact(ia, ib, "INTEGER"));
        if (ib != 0) {
            check(ix.divide(iy), 32, () -> Arith.divide(ia, ib));
            check(ix.remainder(iy), 32, () -> Arith.mod(ia, ib));
        }
        int bits = 8 << r.nextInt(4);
        check(x, bits, () -> Arith.checkRange(a, bits, "T"));
    }

    @Test
    void messages() {
        assertEquals("numeric overflow: BIGINT in 9223372036854775807 + 1 (cast an operand to a wider type such as BIGINT, DECIMAL(18,s) or DOUBLE)",
                assertThrows(KilnException.class, () -> Arith.addExact(Long.MAX_VALUE, 1, "BIGINT")).getMessage());
        assertEquals("numeric overflow: BIGINT in -9223372036854775808 / -1 (cast an operand to a wider type such as BIGINT, DECIMAL(18,s) or DOUBLE)",
                assertThrows(KilnException.class, () -> Arith.divide(Long.MIN_VALUE, -1L)).getMessage());
        assertEquals("division by zero", assertThrows(KilnException.class, () -> Arith.divide(1L, 0L)).getMessage());
        assertEquals("division by zero", assertThrows(KilnException.class, () -> Arith.mod(1, 0)).getMessage());
        assertEquals("division by zero", assertThrows(KilnException.class, () -> Arith.divide(1.0, 0.0)).getMessage());
        assertEquals("division by zero", assertThrows(KilnException.class, () -> Arith.mod(1.0, -0.0)).getMessage());
        assertEquals("numeric overflow: value 300 does not fit TINYINT",
                assertThrows(KilnException.class, () -> Arith.checkRange(300, 8, "TINYINT")).getMessage());
        assertEquals(-2, Arith.divide(-7L, 3L));
        assertEquals(-1, Arith.mod(-7L, 3L));
        assertEquals(0, Arith.mod(Long.MIN_VALUE, -1L));
        assertEquals(2.5, Arith.divide(5.0, 2.0));
        assertEquals("invalid input for CAST from VARCHAR to INTEGER: 'abc'", SqlErrors.invalidCast("abc", "VARCHAR", "INTEGER").getMessage());
        assertEquals("more than one row returned by a subquery used as an expression", SqlErrors.scalarSubqueryMultipleRows().getMessage());
    }
}
