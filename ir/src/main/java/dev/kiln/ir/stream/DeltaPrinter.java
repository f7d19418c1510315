package dev.kiln.ir.stream;

import dev.kiln.ir.expr.ExprPrinter;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.PlanPrinter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints an incremental plan, one node per line with its inputs indented, and after each
 * stateful node what state it keeps; linear nodes show their compiled plan beneath them.
 */
public final class DeltaPrinter {
    private DeltaPrinter() {}

    public static String print(IncrementalPlan plan) {
        StringBuilder sb = new StringBuilder();
        print(plan.root(), 0, sb);
        for (String n : plan.notes()) sb.append("note: ").append(n).append('\n');
        return sb.toString();
    }

    public static String print(Delta d) {
        StringBuilder sb = new StringBuilder();
        print(d, 0, sb);
        return sb.toString();
    }

    private static void print(Delta d, int depth, StringBuilder sb) {
        String pad = "  ".repeat(depth);
        switch (d) {
            case StreamInput s -> sb.append(pad).append("StreamInput ").append(s.stream()).append(' ').append(s.rows().select(s.columns()).names())
                    .append(s.eventTime().isPresent() ? " event time " + s.rows().field(s.eventTime().getAsInt()).name() : "")
                    .append("  -- state: none (each batch's new rows, weight +1)\n");
            case Linear l -> {
                sb.append(pad).append("Linear ").append(l.rowSchema().names()).append("  -- state: none (compiled pipelines over each batch's changes)\n");
                for (String line : PlanPrinter.print(l.plan()).split("\n")) sb.append(pad).append("  | ").append(line).append('\n');
            }
            case AggregateState a -> {
                List<String> keys = a.rowSchema().names().subList(0, a.keyCount());
                List<String> aggs = new ArrayList<>();
                for (StateAgg s : a.aggs()) aggs.add(s.call().name() + " := " + call(s.call(), a));
                sb.append(pad).append("AggregateState keys=").append(keys).append(" aggs=").append(aggs)
                        .append(a.window().map(w -> " window=" + closing(w, keys, a)).orElse(""))
                        .append("  -- state: per group ").append(state(a))
                        .append(a.window().map(w -> "; a group is final and dropped when the watermark passes " + closing(w, keys, a)).orElse("; kept forever (no event-time key)"))
                        .append('\n');
            }
            case JoinState j -> sb.append(pad).append("JoinState ").append(j.kind()).append(" on (")
                    .append(ExprPrinter.print(j.condition(), j.left().rowSchema().concat(j.right().rowSchema())))
                    .append(")  -- state: the rows of both sides with their multiplicities")
                    .append(j.kind() == dev.kiln.ir.rel.JoinKind.LEFT ? " (and each left row's number of matches: its NULL-padded row is written while it has none)" : "")
                    .append(j.bound().map(b -> "; left rows dropped once " + side(j.left(), b.leftTime()) + b.lo().stream().mapToObj(lo -> " < watermark" + offset(lo)).findFirst().orElse(" never")
                            + ", right rows once " + side(j.right(), b.rightTime()) + b.hi().stream().mapToObj(hi -> " < watermark" + offset(-hi)).findFirst().orElse(" never"))
                            .orElse("; kept forever (no time bound between the sides' event times)"))
                    .append('\n');
            case SessionState s -> sb.append(pad).append("SessionState ").append(s.name()).append(" := session start of ")
                    .append(s.input().rowSchema().field(s.time()).name()).append(" gap=").append(micros(s.gapMicros()))
                    .append(" by ").append(s.keys().stream().map(k -> s.input().rowSchema().field(k).name()).toList())
                    .append("  -- state: the rows of open sessions with their multiplicities, per key; a session's rows are dropped when the watermark passes its last row + ")
                    .append(micros(s.gapMicros())).append('\n');
        }
        for (Delta in : d.inputs()) print(in, depth + 1, sb);
    }

    /** "window+10s", or for a session "MAX(ts)+30s". */
    private static String closing(WindowKey w, List<String> keys, AggregateState a) {
        if (w.session()) return a.rowSchema().field(a.keyCount() + w.endAggregate().getAsInt()).name() + "+" + micros(w.span()) + " (session " + keys.get(w.key()) + ")";
        return keys.get(w.key()) + "+" + micros(w.span());
    }

    private static String call(AggCall c, AggregateState a) {
        return c.func() + (c.distinct() ? "(DISTINCT " : "(") + (c.args().isEmpty() ? "*" : "#" + c.args()) + ")";
    }

    private static String state(AggregateState a) {
        long sums = a.aggs().stream().filter(s -> s.sum() >= 0).count();
        long counts = a.aggs().stream().filter(s -> s.count() >= 0).count();
        long sets = a.aggs().stream().filter(s -> s.kind() == StateAgg.Kind.MULTISET).count();
        return "row count" + (sums > 0 ? ", " + sums + " running sum" + (sums > 1 ? "s" : "") : "")
                + (counts > 0 ? ", " + counts + " non-NULL count" + (counts > 1 ? "s" : "") : "")
                + (sets > 0 ? ", " + sets + " multiset" + (sets > 1 ? "s" : "") + " of values (MIN/MAX/DISTINCT under retraction)" : "");
    }

    /** " + 5s", " - 3s" or "" for 0. */
    private static String offset(long us) {
        return us == 0 ? "" : us > 0 ? " + " + micros(us) : " - " + micros(-us);
    }

    private static String side(Delta d, int column) {
        return d.rowSchema().field(column).name();
    }

    /** A duration in microseconds, in the largest unit that divides it. */
    public static String micros(long us) {
        if (us < 0) return "-" + micros(-us);
        if (us == 0) return "0s";
        if (us % 3_600_000_000L == 0) return us / 3_600_000_000L + "h";
        if (us % 60_000_000L == 0) return us / 60_000_000L + "min";
        if (us % 1_000_000L == 0) return us / 1_000_000L + "s";
        if (us % 1000 == 0) return us / 1000 + "ms";
        return us + "us";
    }
}
