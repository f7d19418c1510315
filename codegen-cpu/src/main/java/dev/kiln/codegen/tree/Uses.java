package dev.kiln.codegen.tree;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a statement needs from the code around it, so that it can be moved into a method of its
 * own: the locals it reads or assigns that it does not declare (in first-use order), and whether
 * it can leave in a way a method cannot (a {@code return}, or a {@code break}/{@code continue}
 * aimed at a loop outside it).
 */
public record Uses(java.util.List<LocalVar> outerReads, java.util.List<LocalVar> outerAssigned, boolean jumpsOut) {

    public static Uses of(JStmt s) {
        Walk w = new Walk();
        w.stmt(s, 0);
        w.reads.removeAll(w.declared);
        w.assigned.removeAll(w.declared);
        return new Uses(java.util.List.copyOf(w.reads), java.util.List.copyOf(w.assigned), w.jumpsOut);
    }

    private static final class Walk {
        final Set<LocalVar> declared = new LinkedHashSet<>();
        final Set<LocalVar> reads = new LinkedHashSet<>();
        final Set<LocalVar> assigned = new LinkedHashSet<>();
        boolean jumpsOut;

        /** {@code loops}: how many loops of the statement enclose this one (an unlabeled jump inside one stays inside). */
        void stmt(JStmt s, int loops) {
            switch (s) {
                case Declare d -> {
                    expr(d.init());
                    declared.add(d.v());
                }
                case Assign a -> {
                    expr(a.value());
                    assigned.add(a.v());
                }
                case AssignThisField a -> expr(a.value());
                case ArrayStore a -> {
                    expr(a.array());
                    expr(a.index());
                    expr(a.value());
                }
                case Eval e -> expr(e.call());
                case If i -> {
                    expr(i.cond());
                    stmt(i.then(), loops);
                    i.otherwise().ifPresent(o -> stmt(o, loops));
                }
                case While w -> {
                    if (w.label().isPresent()) jumpsOut = true; // a labeled loop: its jumps are not followed here, so keep it where it is
                    expr(w.cond());
                    stmt(w.body(), loops + 1);
                }
                case For f -> {
                    if (f.label().isPresent()) jumpsOut = true;
                    stmt(f.init(), loops);
                    expr(f.cond());
                    stmt(f.update(), loops + 1);
                    stmt(f.body(), loops + 1);
                }
                case Block b -> {
                    for (JStmt x : b.stmts()) stmt(x, loops);
                }
                case Return r -> {
                    jumpsOut = true;
                    r.value().ifPresent(this::expr);
                }
                case Break b -> jumpsOut |= b.label().isPresent() || loops == 0;
                case Continue c -> jumpsOut |= c.label().isPresent() || loops == 0;
                case Throw t -> expr(t.exception());
                case Comment c -> { }
            }
        }

        void expr(JExpr e) {
            switch (e) {
                case Local l -> reads.add(l.v());
                case Const c -> { }
                case NullConst n -> { }
                case ThisField f -> { }
                case StaticField f -> { }
                case GetField g -> expr(g.target());
                case Binary b -> {
                    expr(b.left());
                    expr(b.right());
                }
                case Unary u -> expr(u.operand());
                case Convert c -> expr(c.e());
                case InvokeStatic i -> i.args().forEach(this::expr);
                case InvokeVirtual i -> {
                    expr(i.target());
                    i.args().forEach(this::expr);
                }
                case InvokeThis i -> i.args().forEach(this::expr);
                case Ternary t -> {
                    expr(t.cond());
                    expr(t.a());
                    expr(t.b());
                }
                case ArrayLoad a -> {
                    expr(a.array());
                    expr(a.index());
                }
                case ArrayLength a -> expr(a.array());
                case NewObject n -> n.args().forEach(this::expr);
                case NewArray n -> expr(n.length());
            }
        }
    }
}
