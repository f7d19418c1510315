package dev.kiln.codegen.tree;

import java.util.Optional;

/**
 * Java's "can complete normally" rule (JLS 14.22), reduced to the statements of the code tree.
 * Both backends need it: Java rejects unreachable statements and methods that fall off their
 * end without a value, and the bytecode emitter must agree with it.
 */
public final class Reach {
    private Reach() {}

    public static boolean completesNormally(JStmt s) {
        return switch (s) {
            case Return r -> false;
            case Throw t -> false;
            case Break b -> false;
            case Continue c -> false;
            case Block b -> b.stmts().stream().allMatch(Reach::completesNormally);
            case If i -> i.otherwise().isEmpty() || completesNormally(i.then()) || completesNormally(i.otherwise().get());
            case While w -> !isTrue(w.cond()) || breaksOut(w.body(), w.label(), true);
            case For f -> !isTrue(f.cond()) || breaksOut(f.body(), f.label(), true);
            default -> true;
        };
    }

    private static boolean isTrue(JExpr cond) {
        return cond instanceof Const c && Boolean.TRUE.equals(c.value());
    }

    /** Whether {@code s} contains a break that leaves the loop labelled {@code label} (or the innermost one, when {@code innermost}). */
    private static boolean breaksOut(JStmt s, Optional<String> label, boolean innermost) {
        return switch (s) {
            case Break b -> b.label().isEmpty() ? innermost : b.label().equals(label);
            case Block b -> b.stmts().stream().anyMatch(x -> breaksOut(x, label, innermost));
            case If i -> breaksOut(i.then(), label, innermost) || i.otherwise().map(x -> breaksOut(x, label, innermost)).orElse(false);
            case While w -> breaksOut(w.body(), label, false);
            case For f -> breaksOut(f.body(), label, false);
            default -> false;
        };
    }
}
