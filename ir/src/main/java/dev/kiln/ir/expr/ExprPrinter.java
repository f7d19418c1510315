package dev.kiln.ir.expr;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Readable SQL-like text of an expression, deterministic (golden tests compare it). Columns are
 * named after the input schema ({@code name#i} when the name is ambiguous there, {@code #i} when
 * out of range); literals as SQL; operators with SQL precedence, parenthesized only where needed
 * to keep the tree's shape: a right operand of equal precedence is parenthesized
 * ({@code a - (b - c)}), comparisons never chain. Scalar functions print as their {@link Op} name.
 */
public final class ExprPrinter {
    private ExprPrinter() {}

    // precedence, loosest first
    private static final int OR = 1;
    private static final int AND = 2;
    private static final int NOT = 3;
    private static final int COMPARE = 4;
    private static final int CONCAT = 5;
    private static final int ADD = 6;
    private static final int MULTIPLY = 7;
    private static final int UNARY = 8;
    private static final int ATOM = 9;

    public static String print(Expr e, Schema input) {
        return switch (e) {
            case ColumnRef r -> columnName(r.index(), input);
            case Literal l -> literal(l);
            case NullLiteral n -> "NULL";
            case Cast c -> "CAST(" + print(c.input(), input) + " AS " + c.type().sql() + ")";
            case Case c -> {
                StringBuilder sb = new StringBuilder("CASE");
                for (Case.When w : c.branches()) {
                    sb.append(" WHEN ").append(print(w.condition(), input)).append(" THEN ").append(print(w.result(), input));
                }
                yield sb.append(" ELSE ").append(print(c.otherwise(), input)).append(" END").toString();
            }
            case InList in -> operand(in.value(), COMPARE, true, input) + " IN ("
                    + in.list().stream().map(x -> print(x, input)).collect(Collectors.joining(", ")) + ")";
            case Call c -> call(c, input);
        };
    }

    /** The name of input column {@code index}, with {@code #index} appended when another column has the same name. */
    public static String columnName(int index, Schema input) {
        if (index < 0 || index >= input.size()) return "#" + index;
        String name = input.field(index).name();
        int same = 0;
        for (var f : input.fields()) {
            if (f.name().equalsIgnoreCase(name)) same++;
        }
        return same > 1 ? name + "#" + index : name;
    }

    private static String call(Call c, Schema input) {
        Op op = c.op();
        List<Expr> args = c.args();
        return switch (op) {
            case AND, OR -> {
                int p = precedence(c);
                yield args.stream().map(a -> operand(a, p, false, input)).collect(Collectors.joining(" " + op.symbol() + " "));
            }
            case NOT -> "NOT " + operand(args.getFirst(), NOT, false, input);
            case NEGATE -> {
                String s = operand(args.getFirst(), UNARY, false, input);
                yield s.startsWith("-") ? "-(" + s + ")" : "-" + s; // "--" would start a comment
            }
            case IS_NULL, IS_NOT_NULL, IS_TRUE, IS_FALSE -> operand(args.getFirst(), COMPARE, true, input) + " " + op.symbol();
            case LIKE -> operand(args.get(0), COMPARE, true, input) + " LIKE " + operand(args.get(1), COMPARE, true, input)
                    + (args.size() > 2 ? " ESCAPE " + operand(args.get(2), COMPARE, true, input) : "");
            case CONCAT -> {
                StringBuilder sb = new StringBuilder(operand(args.getFirst(), CONCAT, false, input));
                for (int i = 1; i < args.size(); i++) sb.append(" || ").append(operand(args.get(i), CONCAT, true, input));
                yield sb.toString();
            }
            default -> {
                if (op.infix() && args.size() == 2) {
                    int p = precedence(c);
                    yield operand(args.get(0), p, p == COMPARE, input) + " " + op.symbol() + " " + operand(args.get(1), p, true, input);
                }
                yield op.symbol() + "(" + args.stream().map(a -> print(a, input)).collect(Collectors.joining(", ")) + ")";
            }
        };
    }

    /** {@code e} printed as an operand of an operator of precedence {@code parent}. */
    private static String operand(Expr e, int parent, boolean parenthesizeEqual, Schema input) {
        String s = print(e, input);
        int p = precedence(e);
        return p < parent || (p == parent && parenthesizeEqual) ? "(" + s + ")" : s;
    }

    private static int precedence(Expr e) {
        if (e instanceof InList) return COMPARE;
        if (e instanceof Literal l && isNegativeNumber(l)) return UNARY;
        if (!(e instanceof Call c)) return ATOM;
        return switch (c.op()) {
            case OR -> OR;
            case AND -> AND;
            case NOT -> NOT;
            case EQ, NE, LT, LE, GT, GE, IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM, LIKE, IS_NULL, IS_NOT_NULL, IS_TRUE, IS_FALSE -> COMPARE;
            case CONCAT -> CONCAT;
            case PLUS, MINUS -> ADD;
            case TIMES, DIVIDE, MOD -> MULTIPLY;
            case NEGATE -> UNARY;
            default -> ATOM;
        };
    }

    private static boolean isNegativeNumber(Literal l) {
        return switch (l.value()) {
            case Long v -> v < 0;
            case BigDecimal v -> v.signum() < 0;
            case Double v -> v < 0 || Double.doubleToRawLongBits(v) == Long.MIN_VALUE;
            default -> false;
        };
    }

    /** A literal as SQL text: 'it''s', DATE '1995-03-15', TIMESTAMP '1995-03-15 10:00:00', 0.05, 1.0E10, TRUE. */
    public static String literal(Literal l) {
        return switch (l.type()) {
            case DataType.VarcharType v -> "'" + ((String) l.value()).replace("'", "''") + "'";
            case DataType.DateType d -> "DATE '" + l.value() + "'";
            case DataType.TimestampType t -> "TIMESTAMP '" + dev.kiln.ir.eval.Text.formatTimestamp((LocalDateTime) l.value()) + "'";
            case DataType.DecimalType d -> ((BigDecimal) l.value()).toPlainString();
            case DataType.BooleanType b -> (Boolean) l.value() ? "TRUE" : "FALSE";
            default -> String.valueOf(l.value());
        };
    }
}
