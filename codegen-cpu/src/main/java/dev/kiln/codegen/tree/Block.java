package dev.kiln.codegen.tree;

import java.util.List;

/**
 * A sequence of statements and the scope of the locals it declares. A statement after one that
 * cannot complete normally (return, break, an if whose branches both return…) is rejected: Java
 * calls it unreachable.
 */
public record Block(List<JStmt> stmts) implements JStmt {
    public Block {
        stmts = List.copyOf(stmts);
        for (int i = 0; i + 1 < stmts.size(); i++) {
            JStmt s = stmts.get(i);
            if (!Reach.completesNormally(s)) {
                int next = i + 1;
                while (next < stmts.size() && stmts.get(next) instanceof Comment) next++;
                if (next < stmts.size()) {
                    throw new IllegalArgumentException("unreachable statement " + stmts.get(next).getClass().getSimpleName()
                            + " after " + s.getClass().getSimpleName() + " in a Block");
                }
            }
        }
    }

    public static Block of(JStmt... stmts) {
        return new Block(List.of(stmts));
    }
}
