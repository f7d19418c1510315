package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.Declare;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JStmt;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.LocalVar;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Accumulates statements of one method while the produce/consume walk emits code: a stack of
 * open blocks, and fresh local names. Operators nest their downstream code inside the block they
 * open (an {@code if} for a filter, a {@code while} over hash-chain matches for a probe).
 */
final class CodeBuilder {
    private final Deque<List<JStmt>> blocks = new ArrayDeque<>();
    private int nextLocal;

    CodeBuilder() {
        blocks.push(new ArrayList<>());
    }

    LocalVar fresh(String hint, JType type) {
        return new LocalVar(hint + "_" + (nextLocal++), type);
    }

    /** Declares a fresh local initialised to {@code init} and returns a reference to it. */
    Local declare(String hint, JType type, JExpr init) {
        LocalVar v = fresh(hint, type);
        emit(new Declare(v, init));
        return new Local(v);
    }

    void emit(JStmt stmt) {
        blocks.peek().add(stmt);
    }

    void open() {
        blocks.push(new ArrayList<>());
    }

    Block close() {
        return new Block(blocks.pop());
    }

    /** Runs {@code body} collecting what it emits into a new block. */
    Block block(Runnable body) {
        open();
        body.run();
        return close();
    }

    int depth() {
        return blocks.size();
    }
}
