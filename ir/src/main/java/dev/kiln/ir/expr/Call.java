package dev.kiln.ir.expr;

import dev.kiln.ir.type.DataType;
import java.util.List;

/** A scalar operator applied to arguments; type and nullability are decided when it is built. */
public record Call(Op op, List<Expr> args, DataType type, boolean nullable) implements Expr {
    public Call {
        args = List.copyOf(args);
    }

    public Expr arg(int i) {
        return args.get(i);
    }
}
