package dev.kiln.ir.expr;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.util.stream.Collectors;

/** Readable SQL-like text of an expression, naming columns after the input schema. */
public final class ExprPrinter {
    private ExprPrinter() {}

    public static String print(Expr e, Schema input) {
        return switch (e) {
            case ColumnRef r -> columnName(r.index(), input);
            case Literal l -> literal(l);
            case NullLiteral n -> "NULL";
            case Cast c -> "CAST(" + print(c.input(), input) + " AS " + c.type().sql() + ")";
            case Case c -> {
                StringBuilder sb = new StringBuilder("CASE");
                for (Case.When w : c.branches()) sb.append(" WHEN ").append(print(w.condition(), input)).append(" THEN ").append(print(w.result(), input));
                yield sb.append(" ELSE ").append(print(c.otherwise(), input)).append(" END").toString();
            }
            case InList in -> print(in.value(), input) + " IN (" + in.list().stream().map(x -> print(x, input)).collect(Collectors.joining(", ")) + ")";
            case Call c -> call(c, input);
        };
    }

    static String columnName(int index, Schema input) {
        if (index >= input.size()) return "#" + index;
        String name = input.field(index).name();
        int same = 0;
        for (var f : input.fields()) if (f.name().equalsIgnoreCase(name)) same++;
        return same > 1 ? name + "#" + index : name;
    }

    private static String call(Call c, Schema input) {
        Op op = c.op();
        return switch (op) {
            case AND, OR -> c.args().stream().map(a -> paren(a, input)).collect(Collectors.joining(" " + op.symbol() + " "));
            case NOT -> "NOT " + paren(c.arg(0), input);
            case NEGATE -> "-" + paren(c.arg(0), input);
            case IS_NULL, IS_NOT_NULL, IS_TRUE, IS_FALSE -> paren(c.arg(0), input) + " " + op.symbol();
            default -> {
                if (op.infix() && c.args().size() == 2) {
                    yield paren(c.arg(0), input) + " " + op.symbol() + " " + paren(c.arg(1), input);
                }
                if (op.infix() && op == Op.LIKE) {
                    yield paren(c.arg(0), input) + " LIKE " + paren(c.arg(1), input) + " ESCAPE " + paren(c.arg(2), input);
                }
                yield op.symbol() + "(" + c.args().stream().map(a -> print(a, input)).collect(Collectors.joining(", ")) + ")";
            }
        };
    }

    private static String paren(Expr e, Schema input) {
        String s = print(e, input);
        return e instanceof Call c && (c.op().infix() || c.op() == Op.NOT) || e instanceof InList ? "(" + s + ")" : s;
    }

    static String literal(Literal l) {
        return switch (l.type()) {
            case DataType.VarcharType v -> "'" + ((String) l.value()).replace("'", "''") + "'";
            case DataType.DateType d -> "DATE '" + l.value() + "'";
            case DataType.TimestampType t -> "TIMESTAMP '" + l.value().toString().replace('T', ' ') + "'";
            case DataType.DecimalType d -> ((BigDecimal) l.value()).toPlainString();
            default -> String.valueOf(l.value());
        };
    }
}
