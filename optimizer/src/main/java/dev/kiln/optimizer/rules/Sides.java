package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import java.util.BitSet;

/** Which side of a join (left row followed by right row) an expression reads. */
enum Sides {
    NONE, LEFT, RIGHT, BOTH;

    static Sides of(Expr e, int leftWidth) {
        BitSet cols = Exprs.columnsUsed(e);
        boolean left = cols.nextSetBit(0) >= 0 && cols.nextSetBit(0) < leftWidth;
        boolean right = cols.nextSetBit(leftWidth) >= 0;
        if (left && right) return BOTH;
        if (left) return LEFT;
        if (right) return RIGHT;
        return NONE;
    }
}
