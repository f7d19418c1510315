package dev.kiln.ir.rel;

import dev.kiln.ir.expr.ExprPrinter;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One operator per line, each input indented two spaces deeper, every line ending in a newline;
 * deterministic, since golden tests compare it. Filter and Join conditions are parenthesized
 * whole; expressions follow {@link ExprPrinter}.
 * <pre>
 * Sort [revenue DESC NULLS FIRST, o_orderdate ASC NULLS LAST] limit=10
 *   Aggregate keys=[l_orderkey, o_orderdate] aggs=[revenue := SUM(_expr0)]
 *     Join INNER on (l_orderkey = o_orderkey)
 *       TableScan lineitem [l_orderkey, l_extendedprice]
 *       Filter (o_orderdate &lt; DATE '1995-03-15')
 *         TableScan orders [o_orderkey, o_orderdate]
 * </pre>
 */
public final class PlanPrinter {
    private PlanPrinter() {}

    public static String print(Rel rel) {
        return print(rel, r -> "");
    }

    /** With {@code " -- " + annotation} (e.g. estimated and actual rows) after each line whose annotation is not empty. */
    public static String print(Rel rel, Function<Rel, String> annotation) {
        StringBuilder sb = new StringBuilder();
        print(rel, 0, annotation, sb);
        return sb.toString();
    }

    private static void print(Rel rel, int depth, Function<Rel, String> annotation, StringBuilder sb) {
        sb.append("  ".repeat(depth)).append(line(rel));
        String a = annotation.apply(rel);
        if (a != null && !a.isEmpty()) sb.append(" -- ").append(a);
        sb.append('\n');
        for (Rel in : rel.inputs()) print(in, depth + 1, annotation, sb);
    }

    /** The operator's own line, without its inputs. */
    public static String line(Rel rel) {
        return switch (rel) {
            case TableScan s -> "TableScan " + s.table().name() + " " + names(s.schema());
            case Values v -> "Values " + names(v.schema()) + " rows=[" + v.rows().stream()
                    .map(r -> "(" + r.stream().map(e -> ExprPrinter.print(e, Schema.of())).collect(Collectors.joining(", ")) + ")")
                    .collect(Collectors.joining(", ")) + "]";
            case Filter f -> "Filter (" + ExprPrinter.print(f.condition(), f.input().schema()) + ")";
            case Union u -> "Union ALL " + names(u.schema());
            case Project p -> {
                List<String> items = new ArrayList<>();
                for (int i = 0; i < p.exprs().size(); i++) {
                    String e = ExprPrinter.print(p.exprs().get(i), p.input().schema());
                    items.add(e.equals(p.names().get(i)) ? e : p.names().get(i) + " := " + e);
                }
                yield "Project [" + String.join(", ", items) + "]";
            }
            case Aggregate a -> {
                Schema in = a.input().schema();
                String keys = a.groupKeys().stream().map(k -> ExprPrinter.columnName(k, in)).collect(Collectors.joining(", "));
                String aggs = a.aggs().stream().map(c -> c.name() + " := " + aggCall(c, in)).collect(Collectors.joining(", "));
                yield "Aggregate keys=[" + keys + "] aggs=[" + aggs + "]";
            }
            case Join j -> "Join " + j.kind() + " on (" + ExprPrinter.print(j.condition(), j.left().schema().concat(j.right().schema())) + ")";
            case Sort s -> {
                String keys = s.keys().stream().map(k -> ExprPrinter.columnName(k.column(), s.schema())
                        + (k.ascending() ? " ASC" : " DESC") + (k.nullsFirst() ? " NULLS FIRST" : " NULLS LAST")).collect(Collectors.joining(", "));
                yield "Sort [" + keys + "]" + (s.offset() > 0 ? " offset=" + s.offset() : "") + (s.limit() >= 0 ? " limit=" + s.limit() : "");
            }
            case Infer i -> {
                Schema in = i.input().schema();
                String args = i.args().stream().map(k -> ExprPrinter.columnName(k, in)).collect(Collectors.joining(", "));
                String outs = i.outputs().stream().map(o -> o.name() + " := " + o.modelOutput()).collect(Collectors.joining(", "));
                String prelude = i.prelude().map(p -> " prelude=" + p.model() + " (" + p.model().graph().nodes().size() + " nodes) → " + p.output()).orElse("");
                yield "Infer model=" + i.model() + " (" + i.model().graph().nodes().size() + " nodes)" + prelude + " args=[" + args + "] outputs=[" + outs + "]";
            }
            case SessionWindow w -> {
                Schema in = w.input().schema();
                String keys = w.keys().stream().map(k -> ExprPrinter.columnName(k, in)).collect(Collectors.joining(", "));
                yield "SessionWindow " + w.name() + " := session start of " + ExprPrinter.columnName(w.time(), in)
                        + " gap=" + java.time.Duration.ofNanos(w.gapMicros() * 1000) + " by [" + keys + "]";
            }
        };
    }

    /** e.g. {@code SUM(l_extendedprice)}, {@code COUNT(*)}, {@code COUNT(DISTINCT o_custkey)}. */
    public static String aggCall(AggCall c, Schema input) {
        String args = c.args().isEmpty() && c.func() == AggFunc.COUNT ? "*"
                : c.args().stream().map(k -> ExprPrinter.columnName(k, input)).collect(Collectors.joining(", "));
        return c.func() + "(" + (c.distinct() ? "DISTINCT " : "") + args + ")";
    }

    private static String names(Schema s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) out.add(ExprPrinter.columnName(i, s));
        return "[" + String.join(", ", out) + "]";
    }
}
