package dev.kiln.optimizer;

import static dev.kiln.optimizer.Fixtures.T1;
import static dev.kiln.optimizer.Fixtures.T2;
import static dev.kiln.optimizer.Fixtures.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.eval.ExprEvaluator;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.rel.Values;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.optimizer.rules.FactorDisjunctions;
import dev.kiln.optimizer.rules.FoldConstants;
import dev.kiln.optimizer.rules.MergeFilters;
import dev.kiln.optimizer.rules.SimplifyFilter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** fold-constants, simplify-filter, merge-filters, factor-disjunctions. */
class FoldingRulesTest {
    static final TableScan SCAN1 = TableScan.all(T1); // a BIGINT, b INTEGER, s VARCHAR, d DECIMAL(7,2)
    static final TableScan SCAN2 = TableScan.all(T2); // x BIGINT, y INTEGER NOT NULL, dt DATE
    static final Schema S1 = SCAN1.schema();
    static final Expr A_POS = TypeRules.compare(Op.GT, ref(S1, 0), Literal.of(0L));
    static final Expr S_IS_A = TypeRules.compare(Op.EQ, ref(S1, 2), Literal.of("a"));
    static final Expr NULL_BOOL = new NullLiteral(DataType.BOOLEAN);

    /** The expression after fold-constants, read back from a projection over t1. */
    static Expr fold(Expr e) {
        Rel p = new Project(SCAN1, List.of(e), List.of("e"));
        Rel out = new FoldConstants().apply(p, null).orElse(p);
        return ((Project) out).exprs().getFirst();
    }

    static Expr call(Op op, DataType t, Expr... args) {
        return new Call(op, List.of(args), t, Arrays.stream(args).anyMatch(Expr::nullable));
    }

    @Test
    void dateArithmeticOnLiteralsFolds() {
        Expr minus90 = call(Op.ADD_DAYS, DataType.DATE, Literal.of(LocalDate.of(1998, 12, 1)), Literal.ofInt(-90));
        assertEquals(Literal.of(LocalDate.of(1998, 9, 2)), fold(minus90));
        Expr plusYear = call(Op.ADD_MONTHS, DataType.DATE, Literal.of(LocalDate.of(1994, 1, 1)), Literal.ofInt(12));
        assertEquals(Literal.of(LocalDate.of(1995, 1, 1)), fold(plusYear));
        Rel filter = new Filter(SCAN2, TypeRules.compare(Op.LE, ref(SCAN2, 2), minus90));
        assertEquals("Filter (dt <= DATE '1998-09-02')\n  TableScan t2 [x, y, dt]\n", Fixtures.print(Fixtures.once(new FoldConstants(), filter)));
    }

    @Test
    void castsAndArithmeticOfLiteralsFoldToLiteralsOfTheSameType() {
        assertEquals(new Literal(new BigDecimal("0.06"), DataType.decimal(15, 2)),
                fold(new Cast(Literal.of(new BigDecimal("0.06")), DataType.decimal(15, 2))));
        // 1 - 0.05 with the integer cast to DECIMAL(10,0), as TypeRules builds it
        Expr oneMinus = TypeRules.arithmetic(Op.MINUS, Literal.ofInt(1), Literal.of(new BigDecimal("0.05")));
        assertEquals(new Literal(new BigDecimal("0.95"), oneMinus.type()), fold(oneMinus));
        assertEquals(new Literal(7L, DataType.INTEGER), fold(TypeRules.arithmetic(Op.PLUS, Literal.ofInt(3), Literal.ofInt(4))));
        assertEquals(new NullLiteral(DataType.INTEGER), fold(TypeRules.arithmetic(Op.PLUS, Literal.ofInt(3), new NullLiteral(DataType.INTEGER))));
        assertEquals(Literal.of(true), fold(TypeRules.inList(Literal.ofInt(2), List.of(Literal.ofInt(1), Literal.ofInt(2)))));
        // a double cast to DECIMAL rounds its exact binary value, as the interpreter does at run time
        Expr dbl = new Cast(Literal.of(0.285), DataType.decimal(15, 2));
        assertEquals(new Literal(ExprEvaluator.eval(dbl, new Object[0]), DataType.decimal(15, 2)), fold(dbl));
    }

    @Test
    void expressionsThatRaiseErrorsAreLeftForRunTime() {
        Expr divByZero = TypeRules.arithmetic(Op.DIVIDE, Literal.ofInt(1), Literal.ofInt(0));
        assertEquals(divByZero, fold(divByZero));
        Expr overflow = new Cast(Literal.of(300L), DataType.TINYINT);
        assertEquals(overflow, fold(overflow));
        Expr badText = new Cast(Literal.of("x1"), DataType.INTEGER);
        assertEquals(badText, fold(badText));
        // ... but a branch that can never be taken goes, error and all
        Expr guarded = TypeRules.caseWhen(List.of(new Case.When(Exprs.FALSE, divByZero)), Literal.ofInt(2));
        assertEquals(Literal.ofInt(2), fold(guarded));
    }

    @Test
    void booleanIdentitiesHoldInThreeValuedLogic() {
        assertEquals(A_POS, fold(TypeRules.and(List.of(A_POS, Exprs.TRUE))));
        assertEquals(Exprs.FALSE, fold(TypeRules.and(List.of(A_POS, Exprs.FALSE, NULL_BOOL))));
        assertEquals(Exprs.TRUE, fold(TypeRules.or(List.of(A_POS, Exprs.TRUE))));
        assertEquals(TypeRules.or(List.of(A_POS, S_IS_A)), fold(TypeRules.or(List.of(A_POS, Exprs.FALSE, S_IS_A))));
        assertEquals(A_POS, fold(TypeRules.not(TypeRules.not(A_POS))));
        assertEquals(Literal.of(false), fold(TypeRules.not(TypeRules.compare(Op.LT, Literal.ofInt(1), Literal.ofInt(2)))));
        // x AND NULL is not simplified: it is FALSE or NULL depending on x
        Expr andNull = TypeRules.and(List.of(A_POS, NULL_BOOL));
        assertEquals(andNull, fold(andNull));
        assertEquals(NULL_BOOL, fold(TypeRules.compare(Op.EQ, ref(S1, 0), new NullLiteral(DataType.BIGINT))));
    }

    @Test
    void caseWithConstantConditionsAndCoalesceWithConstantsSimplify() {
        Expr b = ref(S1, 1);
        Expr c = TypeRules.caseWhen(List.of(
                new Case.When(NULL_BOOL, Literal.ofInt(1)),
                new Case.When(A_POS, b),
                new Case.When(Exprs.TRUE, Literal.ofInt(3)),
                new Case.When(S_IS_A, Literal.ofInt(4))), Literal.ofInt(5));
        assertEquals(new Case(List.of(new Case.When(A_POS, b)), Literal.ofInt(3), DataType.INTEGER, true), fold(c));
        Expr coalesce = TypeRules.coalesce(List.of(new NullLiteral(DataType.INTEGER), b, Literal.ofInt(1), ref(S1, 1)));
        assertEquals(new Call(Op.COALESCE, List.of(b, Literal.ofInt(1)), DataType.INTEGER, false), fold(coalesce));
    }

    @Test
    void foldingReachesJoinConditions() {
        Rel j = new Join(SCAN1, SCAN2, JoinKind.INNER, TypeRules.and(List.of(
                TypeRules.compare(Op.EQ, ref(SCAN1.schema().concat(SCAN2.schema()), 0), ref(SCAN1.schema().concat(SCAN2.schema()), 4)),
                TypeRules.compare(Op.LT, Literal.ofInt(1), Literal.ofInt(2)))));
        assertEquals("Join INNER on (a = x)\n  TableScan t1 [a, b, s, d]\n  TableScan t2 [x, y, dt]\n",
                Fixtures.print(Fixtures.once(new FoldConstants(), j)));
    }

    /** Folding never changes an expression's value on any row. */
    @Property(tries = 500)
    void foldedExpressionsEvaluateAlike(@ForAll long seed) {
        Random r = new Random(seed);
        Schema s = S1.concat(SCAN2.schema());
        Expr e = r.nextBoolean() ? RandomPlans.predicate(r, s, 3) : RandomPlans.scalar(r, s);
        Expr folded = fold(e);
        assertEquals(e.type(), folded.type());
        for (Object[] row : Fixtures.rows(new dev.kiln.ir.rel.TableRef("both", s, -1), r, 5)) {
            Object before = ExprEvaluator.eval(e, row);
            Object after = ExprEvaluator.eval(folded, row);
            assertEquals(true, Objects.equals(before, after), "seed " + seed + ": " + e + " → " + folded + " on " + Arrays.toString(row));
        }
    }

    @Property(tries = 200)
    void foldConstantsKeepsTheRows(@ForAll long seed) {
        Random r = new Random(seed);
        Rel plan = RandomPlans.plan(r, 2);
        Fixtures.assertSameRows(plan, Fixtures.only(new FoldConstants()).optimize(plan).plan(), Fixtures.randomData(r), "seed " + seed);
    }

    // ---- simplify-filter, merge-filters ---------------------------------------------------------

    @Test
    void filtersOnConstantsDisappearOrBecomeEmpty() {
        SimplifyFilter rule = new SimplifyFilter();
        assertEquals(SCAN1, Fixtures.once(rule, new Filter(SCAN1, Exprs.TRUE)));
        assertEquals(new Values(S1, List.of()), Fixtures.once(rule, new Filter(SCAN1, Exprs.FALSE)));
        assertEquals(new Values(S1, List.of()), Fixtures.once(rule, new Filter(SCAN1, NULL_BOOL)));
        assertEquals(java.util.Optional.empty(), rule.apply(new Filter(SCAN1, A_POS), null));
    }

    @Test
    void stackedFiltersMergeIntoOneConjunction() {
        Rel plan = new Filter(new Filter(SCAN1, A_POS), S_IS_A);
        assertEquals(new Filter(SCAN1, TypeRules.and(List.of(A_POS, S_IS_A))), Fixtures.once(new MergeFilters(), plan));
    }

    @Property(tries = 200)
    void simplifyAndMergeFiltersKeepTheRows(@ForAll long seed) {
        Random r = new Random(seed);
        Rel scan = RandomPlans.scan(r);
        Rel plan = new Filter(new Filter(scan, RandomPlans.predicate(r, scan.schema(), 2)), RandomPlans.constant(r));
        var data = Fixtures.randomData(r);
        Rel merged = Fixtures.only(new MergeFilters()).optimize(plan).plan();
        assertEquals(true, merged instanceof Filter f && f.input().equals(scan));
        Fixtures.assertSameRows(plan, merged, data, "merge-filters, seed " + seed);
        Rel folded = new Filter(scan, RandomPlans.constant(r));
        Rel simplified = Fixtures.only(new FoldConstants()).optimize(folded).plan();
        Fixtures.assertSameRows(folded, Fixtures.only(new SimplifyFilter()).optimize(simplified).plan(), data, "simplify-filter, seed " + seed);
    }

    // ---- factor-disjunctions --------------------------------------------------------------------

    @Test
    void commonConjunctsComeOutOfDisjunctions() {
        Expr b = TypeRules.compare(Op.LT, ref(S1, 1), Literal.ofInt(3));
        Expr or = TypeRules.or(List.of(TypeRules.and(List.of(A_POS, S_IS_A)), TypeRules.and(List.of(b, A_POS))));
        Rel out = Fixtures.once(new FactorDisjunctions(), new Filter(SCAN1, or));
        assertEquals(new Filter(SCAN1, Exprs.and(A_POS, TypeRules.or(List.of(S_IS_A, b)))), out);
        // absorption: a OR (a AND b) is a
        Rel absorbed = Fixtures.once(new FactorDisjunctions(), new Filter(SCAN1, TypeRules.or(List.of(A_POS, TypeRules.and(List.of(A_POS, b))))));
        assertEquals(new Filter(SCAN1, A_POS), absorbed);
    }

    @Property(tries = 200)
    void factorDisjunctionsKeepsTheRows(@ForAll long seed) {
        Random r = new Random(seed);
        Rel scan = RandomPlans.scan(r);
        Schema s = scan.schema();
        Expr common = RandomPlans.predicate(r, s, 1);
        Expr or = TypeRules.or(List.of(TypeRules.and(List.of(RandomPlans.predicate(r, s, 1), common)),
                r.nextInt(4) == 0 ? common : TypeRules.and(List.of(common, RandomPlans.predicate(r, s, 1)))));
        Rel plan = new Filter(scan, or);
        OptimizeResult res = Fixtures.only(new FactorDisjunctions()).optimize(plan);
        assertEquals(false, res.trace().isEmpty(), "did not fire on " + Fixtures.print(plan));
        Fixtures.assertSameRows(plan, res.plan(), Fixtures.randomData(r), "seed " + seed);
    }
}
