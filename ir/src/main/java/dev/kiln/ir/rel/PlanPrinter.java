package dev.kiln.ir.rel;

import dev.kiln.ir.expr.ExprPrinter;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One operator per line, children indented by two spaces; deterministic (golden tests use it). */
public final class PlanPrinter {
    private PlanPrinter() {}

    public static String print(Rel rel) {
        return print(rel, r -> "");
    }

    /** With {@code annotation} (e.g. estimated and actual rows) appended to each operator's line. */
    public static String print(Rel rel, Function<Rel, String> annotation) {
        StringBuilder sb = new StringBuilder();
        print(rel, 0, annotation, sb);
        return sb.toString();
    }

    private static void print(Rel rel, int depth, Function<Rel, String> annotation, StringBuilder sb) {
        sb.append("  ".repeat(depth)).append(line(rel));
        String a = annotation.apply(rel);
        if (!a.isEmpty()) sb.append("  -- ").append(a);
        sb.append('\n');
        for (Rel in : rel.inputs()) print(in, depth + 1, annotation, sb);
    }

    public static String line(Rel rel) {
        return switch (rel) {
            case TableScan s -> "TableScan " + s.table().name() + " " + s.schema().names();
            case Values v -> "Values " + v.rows().size() + " rows " + v.schema().names();
            case Filter f -> "Filter " + ExprPrinter.print(f.condition(), f.input().schema());
            case Project p -> {
                List<String> items = new ArrayList<>();
                for (int i = 0; i < p.exprs().size(); i++) {
                    String e = ExprPrinter.print(p.exprs().get(i), p.input().schema());
                    items.add(e.equals(p.names().get(i)) ? e : p.names().get(i) + " := " + e);
                }
                yield "Project " + items;
            }
            case Aggregate a -> {
                Schema in = a.input().schema();
                List<String> keys = a.groupKeys().stream().map(k -> in.field(k).name()).toList();
                List<String> aggs = a.aggs().stream().map(c -> c.name() + " := " + c.func()
                        + "(" + (c.distinct() ? "DISTINCT " : "") + String.join(", ", c.args().stream().map(k -> in.field(k).name()).toList()) + ")").toList();
                yield "Aggregate keys=" + keys + " aggs=" + aggs;
            }
            case Join j -> "Join " + j.kind() + " on " + ExprPrinter.print(j.condition(), j.left().schema().concat(j.right().schema()));
            case Sort s -> {
                List<String> keys = s.keys().stream().map(k -> s.schema().field(k.column()).name() + (k.ascending() ? " ASC" : " DESC")
                        + (k.nullsFirst() ? " NULLS FIRST" : " NULLS LAST")).toList();
                yield "Sort " + keys + (s.offset() > 0 ? " offset=" + s.offset() : "") + (s.limit() >= 0 ? " limit=" + s.limit() : "");
            }
        };
    }
}
