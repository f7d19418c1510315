package dev.kiln.benchmarks;

import dev.kiln.engine.TpchQueries;
import java.util.Map;

/**
 * For each TPC-H query a second text that differs from the standard one only in literals (another
 * date, segment, brand, size, pattern...), to show that Kiln's class cache — keyed on plan shape,
 * with literals as parameters — serves the variant without compiling anything.
 */
final class LiteralVariants {
    private LiteralVariants() {}

    /** One literal replaced by another wherever it occurs in the text. */
    record Change(String from, String to) {
        String describe() {
            return from + " -> " + to;
        }
    }

    private static final Map<Integer, Change> CHANGES = Map.ofEntries(
            Map.entry(1, new Change("'90'", "'60'")),
            Map.entry(2, new Change("p_size = 15", "p_size = 16")),
            Map.entry(3, new Change("'BUILDING'", "'MACHINERY'")),
            Map.entry(4, new Change("'1993-07-01'", "'1994-07-01'")),
            Map.entry(5, new Change("'ASIA'", "'EUROPE'")),
            Map.entry(6, new Change("l_quantity < 24", "l_quantity < 25")),
            Map.entry(7, new Change("'GERMANY'", "'JAPAN'")),
            Map.entry(8, new Change("'ECONOMY ANODIZED STEEL'", "'ECONOMY BRUSHED STEEL'")),
            Map.entry(9, new Change("'%green%'", "'%blue%'")),
            Map.entry(10, new Change("'1993-10-01'", "'1994-01-01'")),
            Map.entry(11, new Change("'GERMANY'", "'FRANCE'")),
            Map.entry(12, new Change("'SHIP'", "'RAIL'")),
            Map.entry(13, new Change("'%special%requests%'", "'%pending%deposits%'")),
            Map.entry(14, new Change("'1995-09-01'", "'1995-10-01'")),
            Map.entry(15, new Change("'1996-01-01'", "'1996-04-01'")),
            Map.entry(16, new Change("'Brand#45'", "'Brand#12'")),
            Map.entry(17, new Change("'Brand#23'", "'Brand#34'")),
            Map.entry(18, new Change("> 300", "> 312")),
            Map.entry(19, new Change("'Brand#12'", "'Brand#14'")),
            Map.entry(20, new Change("'forest%'", "'khaki%'")),
            Map.entry(21, new Change("'SAUDI ARABIA'", "'EGYPT'")),
            Map.entry(22, new Change("'13'", "'19'")));

    static Change change(int q) {
        Change c = CHANGES.get(q);
        if (c == null) throw new IllegalArgumentException("no literal variant for TPC-H query " + q);
        return c;
    }

    /** The standard text of query q with its literal changed; fails if the literal is not in the text. */
    static String text(int q) {
        String sql = TpchQueries.text(q);
        Change c = change(q);
        if (!sql.contains(c.from())) throw new IllegalStateException("Q" + q + " does not contain " + c.from());
        return sql.replace(c.from(), c.to());
    }
}
