package dev.kiln.optimizer.rules;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.eval.ExprEvaluator;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates constant subexpressions at plan time and simplifies boolean logic.
 *
 * <p>A Call, Cast, CASE or IN list whose operands are all literals is evaluated by the reference
 * interpreter ({@link ExprEvaluator}), so plan-time and run-time semantics cannot drift apart
 * (casts, {@code DATE '1998-12-01' - INTERVAL '90' DAY}, decimal rounding). When that evaluation
 * raises an error (division by zero, overflow, bad text), the expression is left as it is: SQL
 * raises the error only if a row actually reaches it, e.g. {@code CASE WHEN false THEN 1/0 END}.
 *
 * <p>Simplifications valid in three-valued logic: TRUE drops out of an AND and FALSE out of an OR;
 * FALSE decides an AND and TRUE an OR (FALSE AND NULL is FALSE); NOT NOT x is x; a strict
 * operator with a NULL operand is NULL; CASE branches with constant conditions are resolved;
 * NULL operands of COALESCE are dropped.
 */
final class ConstantFolder {
    private ConstantFolder() {}

    private static final Object[] NO_ROW = new Object[0];

    static Expr fold(Expr e) {
        return Exprs.rewrite(e, ConstantFolder::foldNode);
    }

    private static Expr foldNode(Expr e) {
        if (e instanceof ColumnRef || e instanceof Literal || e instanceof NullLiteral) return e;
        if (Exprs.children(e).stream().allMatch(ConstantFolder::isConstant)) return evaluate(e);
        return switch (e) {
            case Call c -> simplifyCall(c);
            case Case c -> simplifyCase(c);
            default -> e;
        };
    }

    static boolean isConstant(Expr e) {
        return e instanceof Literal || e instanceof NullLiteral;
    }

    private static Expr evaluate(Expr e) {
        Object v;
        try {
            v = ExprEvaluator.eval(e, NO_ROW);
        } catch (KilnException | ArithmeticException | DateTimeException runTimeError) {
            // Not an optimizer failure: the error belongs to the rows that evaluate it (see class doc).
            return e;
        }
        return v == null ? new NullLiteral(e.type()) : new Literal(v, e.type());
    }

    private static Expr simplifyCall(Call c) {
        return switch (c.op()) {
            case AND, OR -> simplifyJunction(c);
            case NOT -> c.arg(0) instanceof Call inner && inner.op() == Op.NOT ? inner.arg(0) : c;
            case COALESCE -> simplifyCoalesce(c);
            default -> isStrict(c.op()) && c.args().stream().anyMatch(a -> a instanceof NullLiteral) ? new NullLiteral(c.type()) : c;
        };
    }

    /** Operators that are NULL whenever an operand is NULL (as the reference interpreter evaluates them). */
    static boolean isStrict(Op op) {
        return switch (op) {
            case AND, OR, COALESCE, NULLIF, IS_NULL, IS_NOT_NULL, IS_TRUE, IS_FALSE, IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM -> false;
            default -> true;
        };
    }

    private static Expr simplifyJunction(Call c) {
        boolean and = c.op() == Op.AND;
        List<Expr> kept = new ArrayList<>();
        for (Expr a : c.args()) {
            if (a instanceof Literal l && l.value() instanceof Boolean b) {
                if (b != and) return Literal.of(b); // FALSE decides an AND, TRUE an OR, whatever the rest is
                continue; // TRUE in an AND, FALSE in an OR: the identity element
            }
            kept.add(a);
        }
        if (kept.size() == c.args().size()) return c;
        if (kept.isEmpty()) return Literal.of(and);
        if (kept.size() == 1) return kept.getFirst();
        return new Call(c.op(), kept, c.type(), kept.stream().anyMatch(Expr::nullable));
    }

    private static Expr simplifyCoalesce(Call c) {
        List<Expr> kept = new ArrayList<>();
        for (Expr a : c.args()) {
            if (a instanceof NullLiteral) continue;
            kept.add(a);
            if (a instanceof Literal) break; // later operands are never reached
        }
        if (kept.size() == c.args().size()) return c;
        if (kept.isEmpty()) return new NullLiteral(c.type());
        if (kept.size() == 1) return kept.getFirst();
        return new Call(Op.COALESCE, kept, c.type(), kept.stream().allMatch(Expr::nullable));
    }

    private static Expr simplifyCase(Case c) {
        List<Case.When> kept = new ArrayList<>();
        Expr otherwise = c.otherwise();
        for (Case.When w : c.branches()) {
            Expr cond = w.condition();
            if (cond instanceof NullLiteral || (cond instanceof Literal l && Boolean.FALSE.equals(l.value()))) continue; // never taken
            if (cond instanceof Literal l && Boolean.TRUE.equals(l.value())) {
                otherwise = w.result(); // always taken when reached: later branches are dead
                break;
            }
            kept.add(w);
        }
        if (kept.size() == c.branches().size() && otherwise == c.otherwise()) return c;
        if (kept.isEmpty()) return otherwise;
        boolean nullable = otherwise.nullable() || kept.stream().anyMatch(w -> w.result().nullable());
        return new Case(kept, otherwise, c.type(), nullable);
    }
}
