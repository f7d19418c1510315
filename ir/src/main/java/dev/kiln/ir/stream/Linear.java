package dev.kiln.ir.stream;

import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.type.Schema;
import java.util.List;

/**
 * A linear operator: an ordinary plan over the changes of its inputs (scanned as the tables
 * {@link #inputRef}(i)) and over static tables, yielding a Z-set (its last column the weight).
 * Filters, projections, joins with tables and pre-aggregations by weighted sums are linear, so
 * the change of their output is the same plan applied to the change of their input.
 */
public record Linear(dev.kiln.ir.rel.Rel plan, List<Delta> inputs) implements Delta {
    private static final String PREFIX = "$delta";

    public Linear {
        inputs = List.copyOf(inputs);
        Schema s = plan.schema();
        if (s.size() == 0 || !s.field(s.size() - 1).name().equals(WEIGHT)) {
            throw new IllegalArgumentException("a linear plan must end with the weight column " + WEIGHT + ": " + s);
        }
    }

    @Override
    public Schema schema() {
        return plan.schema();
    }

    /** The table the plan scans for the change of input {@code i}. */
    public static TableRef inputRef(int i, Schema schema) {
        return new TableRef(PREFIX + i, schema, -1);
    }

    /** The input number of a table the plan scans, or -1 for a static table. */
    public static int inputIndex(TableRef t) {
        if (!t.name().startsWith(PREFIX)) return -1;
        try {
            return Integer.parseInt(t.name().substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
