package dev.kiln.codegen.tree;

/**
 * Evaluates a call (or {@code new}) for its side effect and drops any result. Only calls are
 * allowed because only they are Java expression statements.
 */
public record Eval(JExpr call) implements JStmt {
    public Eval {
        if (!(call instanceof InvokeStatic || call instanceof InvokeVirtual || call instanceof InvokeThis || call instanceof NewObject)) {
            throw new IllegalArgumentException("Eval takes a method call or new object, not " + call.getClass().getSimpleName());
        }
    }
}
