package dev.kiln.codegen.pipeline;

import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.rel.Values;

/**
 * Rough row-count estimates for choosing hash-join build sides until the cost-based optimizer
 * (statistics, selectivities) supplies real ones: a filter keeps a third, a foreign-key join
 * keeps the larger side, an aggregate shrinks by ten.
 */
final class Estimates {
    private Estimates() {}

    static double rows(Rel rel) {
        return switch (rel) {
            case TableScan s -> s.table().rowCount() >= 0 ? s.table().rowCount() : 1_000_000;
            case Values v -> v.rows().size();
            case Filter f -> rows(f.input()) / 3;
            case Project p -> rows(p.input());
            case Join j -> switch (j.kind()) {
                case SEMI, ANTI -> rows(j.left()) / 2;
                default -> Math.max(rows(j.left()), rows(j.right()));
            };
            case Aggregate a -> a.groupKeys().isEmpty() ? 1 : Math.max(1, rows(a.input()) / 10);
            case Sort s -> s.limit() >= 0 ? Math.min(s.limit(), rows(s.input())) : rows(s.input());
        };
    }
}
