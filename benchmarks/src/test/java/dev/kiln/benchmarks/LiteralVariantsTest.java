package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.engine.TpchQueries;
import org.junit.jupiter.api.Test;

/** Each variant differs from the standard text in literals only: same text once the literal is put back. */
class LiteralVariantsTest {
    @Test
    void everyQueryHasAVariantThatDiffersOnlyInOneLiteral() {
        for (int q = 1; q <= 22; q++) {
            String sql = TpchQueries.text(q);
            String variant = LiteralVariants.text(q);
            LiteralVariants.Change c = LiteralVariants.change(q);
            assertNotEquals(sql, variant, "Q" + q);
            assertEquals(sql, variant.replace(c.to(), c.from()), "Q" + q + ": nothing but the literal changed");
            assertEquals(-1, sql.indexOf(c.to()), "Q" + q + ": the new literal is not in the standard text");
        }
        assertThrows(IllegalArgumentException.class, () -> LiteralVariants.change(23));
    }
}
