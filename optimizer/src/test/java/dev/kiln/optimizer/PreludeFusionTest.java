package dev.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.eval.Interpreter;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.rel.Infer;
import dev.kiln.ir.rel.ModelRef;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An Infer over the Infer that computes its one argument becomes one Infer with the lower model
 * as its prelude when nothing above reads the intermediate column, and stays two Infers when
 * something does; either way the reference interpreter gives the same rows as the plan as written.
 */
class PreludeFusionTest {
    private static final TableRef ITEMS = new TableRef("items", Schema.of(new Field("id", DataType.BIGINT, false),
            new Field("f", new DataType.TensorType(TensorType.of(ElementType.FLOAT32, 4)), true)), 40);

    /** x W + b: [N, in] → [N, out]. */
    private static TensorGraph dense(String name, int in, int out, Random rnd) {
        float[] w = new float[in * out], b = new float[out];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
        return new TensorGraph(name, List.of(new TensorValue("x", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(in))))),
                List.of(new TensorValue("y", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(out))))),
                List.of(new TensorNode("fc", new NeuralOp.Gemm(1f, 1f, false, false), List.of(Optional.of("x"), Optional.of("w"), Optional.of("b")), List.of("y"))),
                Map.of("w", Tensor.floats(new long[] {in, out}, w), "b", Tensor.floats(new long[] {out}, b)));
    }

    private static Rel select(Rel r, int... columns) {
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c : columns) {
            exprs.add(new ColumnRef(c, r.schema().field(c).type(), r.schema().field(c).nullable()));
            names.add(r.schema().field(c).name());
        }
        return new Project(r, exprs, names);
    }

    private static List<Infer> infers(Rel r) {
        List<Infer> out = new ArrayList<>();
        if (r instanceof Infer i) out.add(i);
        for (Rel in : r.inputs()) out.addAll(infers(in));
        return out;
    }

    @Test
    void chainedModelsFuseUnlessTheIntermediateIsRead() {
        Random rnd = new Random(8);
        ModelRef pre = new ModelRef("pre", 1, dense("pre", 4, 5, rnd)), clf = new ModelRef("clf", 1, dense("clf", 5, 3, rnd));
        List<Object[]> rows = new ArrayList<>();
        for (long id = 0; id < 40; id++) {
            float[] x = new float[4];
            for (int i = 0; i < 4; i++) x[i] = (float) rnd.nextGaussian();
            rows.add(new Object[] {id, id % 7 == 2 ? null : Tensor.floats(new long[] {4}, x)});
        }
        Rel hidden = new Infer(new TableScan(ITEMS, List.of(0, 1)), pre, List.of(1), List.of(new Infer.Output("y", "h")));
        Rel scored = new Infer(hidden, clf, List.of(2), List.of(new Infer.Output("y", "p")));
        for (boolean readsHidden : new boolean[] {false, true}) {
            Rel plan = readsHidden ? select(scored, 0, 2, 3) : select(scored, 0, 3);
            Rel optimized = Optimizer.standard().optimize(plan).plan();
            List<Infer> left = infers(optimized);
            String shown = PlanPrinter.print(optimized);
            if (readsHidden) {
                assertEquals(2, left.size(), shown);
                assertTrue(left.stream().allMatch(i -> i.prelude().isEmpty()), shown);
            } else {
                assertEquals(1, left.size(), shown);
                assertEquals(Optional.of(new Infer.Prelude(pre, "y")), left.getFirst().prelude(), shown);
                assertEquals(List.of(1), left.getFirst().args(), shown);
                assertTrue(shown.contains("Infer model=clf#1 (1 nodes) prelude=pre#1 (1 nodes) → y args=[f] outputs=[p := y]"), shown);
            }
            List<String> want = Interpreter.execute(plan, t -> rows).stream().map(Arrays::deepToString).toList();
            List<String> got = Interpreter.execute(optimized, t -> rows).stream().map(Arrays::deepToString).toList();
            assertEquals(want, got, shown);
            assertEquals(6, want.stream().filter(s -> s.endsWith("null]")).count(), "rows with NULL features have NULL predictions");
        }
    }
}
