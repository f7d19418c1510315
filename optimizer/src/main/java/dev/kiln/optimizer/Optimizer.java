package dev.kiln.optimizer;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.PlanValidator;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.rules.AntiJoinFromNullFilter;
import dev.kiln.optimizer.rules.ChooseSemiJoinBuildSide;
import dev.kiln.optimizer.rules.ExtractJoinKeys;
import dev.kiln.optimizer.rules.ExtractOrRestrictions;
import dev.kiln.optimizer.rules.FactorDisjunctions;
import dev.kiln.optimizer.rules.FoldConstants;
import dev.kiln.optimizer.rules.MergeFilters;
import dev.kiln.optimizer.rules.MergeProjects;
import dev.kiln.optimizer.rules.PruneColumns;
import dev.kiln.optimizer.rules.PushFilterIntoJoin;
import dev.kiln.optimizer.rules.PushFilterThroughAggregate;
import dev.kiln.optimizer.rules.PushFilterThroughProject;
import dev.kiln.optimizer.rules.PushFilterThroughSort;
import dev.kiln.optimizer.rules.PreAggregateJoinInput;
import dev.kiln.optimizer.rules.PushJoinConditionDown;
import dev.kiln.optimizer.rules.ReduceAggregateInput;
import dev.kiln.optimizer.rules.PushSemiJoinIntoJoin;
import dev.kiln.optimizer.rules.RemoveIdentityProject;
import dev.kiln.optimizer.rules.ReorderJoins;
import dev.kiln.optimizer.rules.SemiJoinFromUniqueSide;
import dev.kiln.optimizer.rules.SimplifyFilter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs named passes of named rules in order (as DuckDB's optimizer runs its passes), each of
 * which can be switched off by name, and records a trace of every rule that fired. The pass list
 * is in {@link #standard()}. A FIXPOINT pass rewrites bottom-up, at most one rule per node per
 * round, and repeats rounds until nothing changes; a pass that still changes the plan after
 * {@value #MAX_ITERATIONS} rounds is an error naming its rules, never a silent stop. Every rewrite
 * must keep the column types of the node it replaces.
 */
public final class Optimizer {
    private static final int MAX_ITERATIONS = 200;

    private final List<Pass> passes;
    private final Set<String> disabled;
    private final Statistics statistics;
    private final Optional<Consumer<Rel>> validator;

    private Optimizer(List<Pass> passes, Set<String> disabled, Statistics statistics, Optional<Consumer<Rel>> validator) {
        this.passes = passes;
        this.disabled = disabled;
        this.statistics = statistics;
        this.validator = validator;
    }

    /**
     * The standard pass list, in order: fold constants; push filters down, through and into joins
     * (which extracts join conditions from WHERE clauses), give each join input the filter that a
     * disjunction in the join condition implies on it, turn LEFT joins filtered on a missing
     * match into ANTI joins and INNER joins with a distinct side into SEMI joins, and place semi/anti
     * joins onto the INNER join input they filter; make join keys plain columns; order INNER joins by cost (which also puts
     * each hash join's smaller input on the build side); reduce a large aggregate's input by a
     * semi join with the small side that joins its groups, and sink that semi join onto the join
     * input it filters; pre-aggregate a join's large right input
     * by its join keys when the aggregate above reads only it; build each semi/anti join on its
     * smaller side; prune columns; merge projections; fold
     * again what merging exposed.
     */
    public static Optimizer standard() {
        return of(List.of(
                new Pass("constant-folding", List.of(new FoldConstants(), new SimplifyFilter(), new MergeFilters(), new FactorDisjunctions()),
                        Pass.Strategy.FIXPOINT),
                // a linear model over numbers becomes arithmetic in the pipeline, before filters move around it
                new Pass("inline-small-models", List.of(new dev.kiln.optimizer.rules.InlineSmallModels()), Pass.Strategy.FIXPOINT),
                new Pass("filter-pushdown", List.of(new MergeFilters(), new PushFilterIntoJoin(), new PushJoinConditionDown(), new ExtractOrRestrictions(),
                        new PushFilterThroughProject(), new PushFilterThroughAggregate(), new PushFilterThroughSort(), new dev.kiln.optimizer.rules.PushFilterBelowInference(), new SimplifyFilter(),
                        new PushSemiJoinIntoJoin(), new AntiJoinFromNullFilter(), new SemiJoinFromUniqueSide()),
                        Pass.Strategy.FIXPOINT),
                new Pass("join-keys", List.of(new ExtractJoinKeys()), Pass.Strategy.FIXPOINT),
                // after pushdown and key extraction, so that every join tree carries all its predicates
                new Pass("join-ordering", List.of(new ReorderJoins()), Pass.Strategy.ROOT_ONCE),
                new Pass("semi-join-reduction", List.of(new ReduceAggregateInput()), Pass.Strategy.FIXPOINT),
                // the reducing semi joins sit on the aggregates' inputs: sink them to the input they filter
                new Pass("semi-join-placement", List.of(new PushSemiJoinIntoJoin()), Pass.Strategy.FIXPOINT),
                new Pass("eager-aggregation", List.of(new PreAggregateJoinInput()), Pass.Strategy.FIXPOINT),
                new Pass("build-sides", List.of(new ChooseSemiJoinBuildSide()), Pass.Strategy.FIXPOINT),
                new Pass("column-pruning", List.of(new PruneColumns()), Pass.Strategy.ROOT_ONCE),
                new Pass("project-cleanup", List.of(new MergeProjects(), new RemoveIdentityProject()), Pass.Strategy.FIXPOINT),
                new Pass("final-folding", List.of(new FoldConstants(), new SimplifyFilter()), Pass.Strategy.FIXPOINT)));
    }

    /**
     * The passes of {@link #standard()} that keep a plan fit for incrementalization: folding,
     * filter pushdown, join keys, column pruning and cleanup. Join ordering (streams have no
     * row counts to cost), semi-join reduction and eager aggregation (which would add state below
     * joins) are left out; the incrementalization pass puts each stream on a join's probe side.
     */
    public static Optimizer streaming() {
        Set<String> keep = Set.of("constant-folding", "inline-small-models", "filter-pushdown", "join-keys", "column-pruning", "project-cleanup", "final-folding");
        return of(standard().passes.stream().filter(p -> keep.contains(p.name())).toList());
    }

    /** An optimizer running exactly these passes (tests run a single rule this way). */
    public static Optimizer of(List<Pass> passes) {
        Set<String> names = new LinkedHashSet<>();
        for (Pass p : passes) {
            if (!names.add(p.name())) throw new KilnException("two optimizer passes are named '" + p.name() + "'; pass names must be unique");
        }
        return new Optimizer(List.copyOf(passes), Set.of(), Statistics.FROM_TABLE_REFS, Optional.empty());
    }

    /** The same optimizer with these statistics available to rules. */
    public Optimizer withStatistics(Statistics statistics) {
        return new Optimizer(passes, disabled, statistics, validator);
    }

    /**
     * The same optimizer checking every rewritten subtree, and the plan after every pass, with
     * {@code validator} (e.g. {@code PlanValidator::validate}); a failure is reported as a
     * KilnException naming the rule that produced the invalid plan.
     */
    public Optimizer validatingWith(Consumer<Rel> validator) {
        return new Optimizer(passes, disabled, statistics, Optional.of(validator));
    }

    /** The same optimizer checking its work with {@link PlanValidator} (see {@link #validatingWith}). */
    public Optimizer validating() {
        return validatingWith(PlanValidator::validate);
    }

    public List<String> passNames() {
        return passes.stream().map(Pass::name).toList();
    }

    public List<String> ruleNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Pass p : passes) for (Rule r : p.rules()) names.add(r.name());
        return List.copyOf(names);
    }

    /** Switches off a pass or a rule by name. */
    public Optimizer disable(String name) {
        if (!passNames().contains(name) && !ruleNames().contains(name)) {
            throw new KilnException("no optimizer pass or rule named '" + name + "'; passes: " + passNames() + ", rules: " + ruleNames());
        }
        Set<String> d = new LinkedHashSet<>(disabled);
        d.add(name);
        return new Optimizer(passes, Set.copyOf(d), statistics, validator);
    }

    public Optimizer disableAll(Collection<String> names) {
        Optimizer o = this;
        for (String n : names) o = o.disable(n);
        return o;
    }

    public OptimizeResult optimize(Rel plan) {
        List<TraceEntry> trace = new ArrayList<>();
        RuleContext context = new RuleContext(statistics); // per call: rules leave their notes in it
        Rel current = plan;
        for (Pass pass : passes) {
            if (disabled.contains(pass.name())) continue;
            List<Rule> rules = pass.rules().stream().filter(r -> !disabled.contains(r.name())).toList();
            if (rules.isEmpty()) continue;
            current = switch (pass.strategy()) {
                case ROOT_ONCE -> {
                    Rel r = current;
                    for (Rule rule : rules) r = applyAt(pass, rule, r, trace, context).orElse(r);
                    yield r;
                }
                case FIXPOINT -> fixpoint(pass, rules, current, trace, context);
            };
            validate(current, "after pass " + pass.name());
        }
        return new OptimizeResult(current, trace);
    }

    private void validate(Rel plan, String where) {
        if (validator.isEmpty()) return;
        try {
            validator.get().accept(plan);
        } catch (RuntimeException e) {
            throw new KilnException("optimizer produced an invalid plan " + where + ": " + e.getMessage() + "\n" + PlanPrinter.print(plan), e);
        }
    }

    private Rel fixpoint(Pass pass, List<Rule> rules, Rel plan, List<TraceEntry> trace, RuleContext context) {
        Rel current = plan;
        for (int i = 0; i < MAX_ITERATIONS; i++) {
            Rel next = bottomUp(pass, rules, current, trace, context);
            if (next.equals(current)) return current;
            current = next;
        }
        throw new KilnException("optimizer pass " + pass.name() + " did not converge after " + MAX_ITERATIONS
                + " rounds; rules " + rules.stream().map(Rule::name).toList() + " keep rewriting each other (switch one off with --disable-rule)");
    }

    private Rel bottomUp(Pass pass, List<Rule> rules, Rel node, List<TraceEntry> trace, RuleContext context) {
        List<Rel> inputs = new ArrayList<>();
        boolean changed = false;
        for (Rel in : node.inputs()) {
            Rel n = bottomUp(pass, rules, in, trace, context);
            changed |= n != in;
            inputs.add(n);
        }
        Rel current = changed ? node.withInputs(inputs) : node;
        for (Rule rule : rules) {
            Optional<Rel> r = applyAt(pass, rule, current, trace, context);
            if (r.isPresent()) return r.get(); // one rewrite per node per round; the next round continues
        }
        return current;
    }

    private Optional<Rel> applyAt(Pass pass, Rule rule, Rel node, List<TraceEntry> trace, RuleContext context) {
        Optional<Rel> r;
        context.notes().clear();
        try {
            r = rule.apply(node, context);
        } catch (RuntimeException e) {
            throw new KilnException("optimizer rule " + rule.name() + " (pass " + pass.name() + ") failed: " + e.getMessage()
                    + "\non\n" + PlanPrinter.print(node) + "switch it off with --disable-rule " + rule.name(), e);
        }
        if (r.isEmpty() || r.get().equals(node)) return Optional.empty();
        if (!r.get().schema().equals(node.schema()) && !sameTypes(r.get(), node)) {
            throw new KilnException("optimizer rule " + rule.name() + " changed the row type of\n" + PlanPrinter.print(node)
                    + "into\n" + PlanPrinter.print(r.get()));
        }
        validate(r.get(), "in rule " + rule.name() + " (pass " + pass.name() + ")");
        trace.add(new TraceEntry(pass.name(), rule.name(), node, r.get(), context.notes()));
        return r;
    }

    /** Rewrites must keep the column types (names and nullability may get more precise). */
    private static boolean sameTypes(Rel a, Rel b) {
        if (a.schema().size() != b.schema().size()) return false;
        for (int i = 0; i < a.schema().size(); i++) {
            if (!a.schema().field(i).type().equals(b.schema().field(i).type())) return false;
        }
        return true;
    }
}
