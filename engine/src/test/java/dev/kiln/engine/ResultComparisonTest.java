package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The oracle comparison must itself be able to fail: wrong values, wrong order, wrong counts. */
class ResultComparisonTest {
    static Object[] row(Object... v) {
        return v;
    }

    @Test
    void tiesMayComeInAnyOrderButKeysMayNot() {
        List<Object[]> expected = List.<Object[]>of(row("a", 1L), row("b", 1L), row("c", 2L));
        // ordered by column 1: rows a and b tie
        ResultComparison.assertSameRows(expected, List.<Object[]>of(row("b", 1L), row("a", 1L), row("c", 2L)), new int[] {1}, "ties");
        assertThrows(AssertionFailedError.class,
                () -> ResultComparison.assertSameRows(expected, List.<Object[]>of(row("c", 2L), row("a", 1L), row("b", 1L)), new int[] {1}, "order"));
        // ordered by column 0 there are no ties
        assertThrows(AssertionFailedError.class,
                () -> ResultComparison.assertSameRows(expected, List.<Object[]>of(row("b", 1L), row("a", 1L), row("c", 2L)), new int[] {0}, "no ties"));
    }

    @Test
    void valuesAreComparedExactlyExceptDoubles() {
        List<Object[]> expected = List.<Object[]>of(row(new BigDecimal("1.50"), 0.1 + 0.2));
        ResultComparison.assertSameRows(expected, List.<Object[]>of(row(new BigDecimal("1.5"), 0.3)), new int[] {}, "equal");
        assertThrows(AssertionFailedError.class,
                () -> ResultComparison.assertSameRows(expected, List.<Object[]>of(row(new BigDecimal("1.51"), 0.3)), new int[] {}, "decimal"));
        assertThrows(AssertionFailedError.class,
                () -> ResultComparison.assertSameRows(expected, List.<Object[]>of(row(new BigDecimal("1.50"), 0.3000001)), new int[] {}, "double"));
        assertThrows(AssertionFailedError.class,
                () -> ResultComparison.assertSameRows(expected, List.<Object[]>of(row(null, 0.3)), new int[] {}, "null"));
        assertThrows(AssertionFailedError.class, () -> ResultComparison.assertSameRows(expected, List.of(), new int[] {}, "count"));
    }

    @Test
    void multisetsCountDuplicates() {
        List<Object[]> expected = List.<Object[]>of(row(1L), row(1L), row(2L));
        ResultComparison.assertSameRows(expected, List.<Object[]>of(row(2L), row(1L), row(1L)), new int[] {}, "perm");
        assertThrows(AssertionFailedError.class,
                () -> ResultComparison.assertSameRows(expected, List.<Object[]>of(row(1L), row(2L), row(2L)), new int[] {}, "dup"));
    }
}
