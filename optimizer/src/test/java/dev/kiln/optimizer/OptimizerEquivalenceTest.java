package dev.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.rel.PlanValidator;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Rel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random plans (filters, projections, joins of every kind, aggregates, sorts over up to three
 * small tables with NULLs) return the same multiset of rows from the reference interpreter before
 * and after optimization: with the standard optimizer, and with each rule and each pass switched
 * off in turn (so that no rule's correctness hides behind another rule having run first).
 */
class OptimizerEquivalenceTest {
    @Property(tries = 400)
    void optimizationKeepsTheRows(@ForAll long seed) {
        Random r = new Random(seed);
        Rel plan = RandomPlans.plan(r, 3);
        PlanValidator.validate(plan);
        Map<String, List<Object[]>> data = Fixtures.randomData(r);
        List<String> expected = Fixtures.run(plan, data);
        Optimizer standard = Optimizer.standard().validatingWith(PlanValidator::validate);
        List<Optimizer> variants = new ArrayList<>(List.of(standard));
        for (String rule : standard.ruleNames()) variants.add(standard.disable(rule));
        for (String pass : standard.passNames()) variants.add(standard.disable(pass));
        for (Optimizer o : variants) {
            Rel optimized = o.optimize(plan).plan();
            assertEquals(plan.schema().fields().stream().map(f -> f.type()).toList(), optimized.schema().fields().stream().map(f -> f.type()).toList());
            assertEquals(expected, Fixtures.run(optimized, data),
                    "seed " + seed + "\nplan:\n" + PlanPrinter.print(plan) + "optimized:\n" + PlanPrinter.print(optimized));
        }
    }
}
