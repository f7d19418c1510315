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
}
