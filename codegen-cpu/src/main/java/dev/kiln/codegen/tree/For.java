package dev.kiln.codegen.tree;

import java.util.List;
import java.util.Optional;

/**
 * {@code label: for (init; cond; update) body}. Locals declared by {@code init} are scoped to
 * the loop; {@code continue} runs {@code update} before re-testing {@code cond}. The update must
 * be expression statements (assignments, stores, calls), possibly grouped in a {@link Block},
 * because that is all Java allows there.
 */
public record For(Optional<String> label, JStmt init, JExpr cond, JStmt update, JStmt body) implements JStmt {
    public For {
        label.ifPresent(l -> Names.requireIdentifier(l, "label"));
        if (!cond.type().equals(JType.BOOLEAN)) throw new IllegalArgumentException("For condition must be boolean, got " + cond.type());
        for (JStmt s : flatten(update)) {
            if (!(s instanceof Assign || s instanceof AssignThisField || s instanceof ArrayStore || s instanceof Eval)) {
                throw new IllegalArgumentException("For update must consist of assignments, array stores or calls, not " + s.getClass().getSimpleName());
            }
        }
    }

    /** The statements of a statement, with nested blocks opened (for init and update lists). */
    public static List<JStmt> flatten(JStmt s) {
        if (s instanceof Block b) return b.stmts().stream().flatMap(x -> flatten(x).stream()).toList();
        return List.of(s);
    }
}
