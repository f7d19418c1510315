package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.emit.AsmEmitter;
import dev.kiln.codegen.emit.Backend;
import dev.kiln.codegen.pipeline.PipelinePlanner;
import dev.kiln.codegen.pipeline.Step;
import dev.kiln.ir.eval.Interpreter;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Wide projections and huge predicates are split into private methods so that no generated
 * method exceeds the 8 KB JIT limit, and the results stay exact.
 */
class MethodSplittingTest {
    @Test
    void wideProjectionAndHugeFilterSplitAndStayCorrect() {
        TableRef t = new TableRef("t", RandomPlans.schema(), 400);
        var s = t.schema();
        List<Expr> conjuncts = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            conjuncts.add(TypeRules.or(List.of(
                    TypeRules.compare(Op.NE, RandomPlans.ref(s, 1), Literal.ofInt(i - 45)),
                    TypeRules.compare(Op.GT, RandomPlans.ref(s, 0), new Literal((long) (i % 7), DataType.BIGINT)))));
        }
        Rel filtered = new Filter(TableScan.all(t), TypeRules.and(conjuncts));
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            Expr cond = TypeRules.compare(Op.GT, RandomPlans.ref(s, 1), Literal.ofInt(i - 35));
            Expr then = TypeRules.arithmetic(Op.TIMES, RandomPlans.ref(s, 2), Literal.of(new java.math.BigDecimal(i + ".5")));
            exprs.add(TypeRules.caseWhen(List.of(new Case.When(cond, then)), RandomPlans.ref(s, 2)));
            exprs.add(new Call(Op.UPPER, List.of(RandomPlans.ref(s, 3)), DataType.VARCHAR, true));
            names.add("u" + i);
            names.add("c" + i);
        }
        Rel plan = new Project(filtered, exprs, names);

        for (Step step : new PipelinePlanner(x -> null).plan(plan).steps()) {
            if (step instanceof Step.PipelineStep p) {
                var sizes = AsmEmitter.emitWithSizes(p.classDef(), true);
                assertTrue(p.classDef().methods().size() > 10, "expected the pipeline to be split into many methods");
                assertTrue(sizes.toString().length() > 0);
            }
        }
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            List<Object[]> rows = RandomPlans.rows(new Random(3), 400);
            Table table = RandomPlans.table("t", rows, mem);
            List<Object[]> expected = Interpreter.execute(plan, x -> rows);
            for (Backend b : Backend.values()) {
                GeneratedCodeDifferentialTest.assertSameRows(expected, GeneratedCodeDifferentialTest.run(plan, Map.of("t", table), b, mem), false, b.name());
            }
        }
    }

    /**
     * One predicate that is a single deep disjunction (no top-level AND to split at), as the
     * sqllogictest corpus's index/ files have: its parts go to nested methods, and long OR / AND
     * chains are regrouped, so every method stays under the limit.
     */
    @Test
    void deepDisjunctionSplitsRecursively() {
        TableRef t = new TableRef("t", RandomPlans.schema(), 400);
        var s = t.schema();
        // a chain nested two operands at a time: OR(OR(OR(..., b1), b2), b3), each b an AND of two tests
        Expr e = TypeRules.compare(Op.EQ, RandomPlans.ref(s, 1), Literal.ofInt(1000));
        for (int i = 0; i < 300; i++) {
            Expr b = TypeRules.and(List.of(
                    TypeRules.compare(Op.EQ, RandomPlans.ref(s, 1), Literal.ofInt(2 * (i % 16) - 15)),
                    TypeRules.compare(Op.NE, RandomPlans.ref(s, 0), new Literal((long) (i % 5), DataType.BIGINT))));
            e = TypeRules.or(List.of(e, b));
        }
        Rel plan = new Filter(TableScan.all(t), e);
        int methods = 0;
        for (Step step : new PipelinePlanner(x -> null).plan(plan).steps()) {
            if (step instanceof Step.PipelineStep p) {
                var emitted = AsmEmitter.emitWithSizes(p.classDef(), true);
                methods = Math.max(methods, emitted.methodSizes().size());
                emitted.methodSizes().forEach((m, size) -> assertTrue(size <= AsmEmitter.MAX_METHOD_BYTES, m + " has " + size + " bytes"));
            }
        }
        assertTrue(methods > 10, "the predicate should be spread over many methods, not " + methods);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            List<Object[]> rows = RandomPlans.rows(new Random(5), 400);
            Table table = RandomPlans.table("t", rows, mem);
            List<Object[]> expected = Interpreter.execute(plan, x -> rows);
            assertTrue(!expected.isEmpty() && expected.size() < rows.size(), "a predicate that keeps some rows, not " + expected.size());
            for (Backend b : Backend.values()) {
                GeneratedCodeDifferentialTest.assertSameRows(expected, GeneratedCodeDifferentialTest.run(plan, Map.of("t", table), b, mem), false, b.name());
            }
        }
    }
}
