package dev.kiln.frontend;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.SessionWindow;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.rel.Values;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/** Translates a decorrelated Calcite logical plan into a Kiln plan, operator by operator. */
final class RelTranslator {
    private final Catalog catalog;

    RelTranslator(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The plans translated so far whose Calcite fields are not their columns one to one: those
     * with STRUCT fields (see {@link StructSlots}), by identity.
     */
    private final java.util.Map<Rel, List<StructSlots.Value>> slots = new java.util.IdentityHashMap<>();

    Rel translate(RelNode node) {
        return switch (node) {
            case LogicalTableScan s -> scan(s);
            case LogicalFilter f -> {
                Rel in = translate(f.getInput());
                Rel out = new Filter(in, rex(in, f).translate(f.getCondition()));
                slots(in).ifPresent(sl -> slots.put(out, sl));
                yield out;
            }
            case LogicalProject p -> project(p);
            case LogicalJoin j -> join(j);
            case LogicalAggregate a -> aggregate(a);
            case LogicalSort s -> sort(s);
            case LogicalValues v -> values(v);
            case org.apache.calcite.rel.logical.LogicalUnion u when u.all -> union(u);
            default -> throw new KilnException(describe(node) + " is not supported yet");
        };
    }

    /** Where a translated plan's Calcite fields sit among its columns, if not one to one. */
    java.util.Optional<List<StructSlots.Value>> slots(Rel rel) {
        return java.util.Optional.ofNullable(slots.get(rel));
    }

    /** The input of an operator that reads Calcite fields by number: an error if some are STRUCTs. */
    private Rel flat(Rel in, String operator) {
        if (slots.containsKey(in)) {
            throw new KilnException("a STRUCT value cannot go through " + operator + ": select the struct's fields (image.height, ...) there instead");
        }
        return in;
    }

    private RexTranslator rex(Rel input, RelNode node) {
        return new RexTranslator(input.schema(), slots(input), node.getCluster().getRexBuilder(), java.util.Map.of());
    }

    private static String describe(RelNode node) {
        String n = node.getRelTypeName().replace("Logical", "");
        return switch (n) {
            case "Union" -> "UNION";
            case "Intersect" -> "INTERSECT";
            case "Minus" -> "EXCEPT";
            case "Window" -> "window functions (OVER)";
            case "Correlate" -> "a correlated subquery that could not be decorrelated";
            default -> "the operator " + n;
        };
    }

    private RexTranslator rex(Schema input, RelNode node) {
        return new RexTranslator(input, node.getCluster().getRexBuilder());
    }

    private Rel scan(LogicalTableScan s) {
        String name = s.getTable().getQualifiedName().getLast();
        TableRef t = catalog.table(name).orElseThrow(() -> new KilnException("table " + name + " disappeared from the catalog"));
        if (!t.schema().hasStructs()) return TableScan.all(t);
        // a struct column is read as its fields' columns; the projection above names them
        Schema flat = t.schema().flatten();
        Rel scan = TableScan.all(new TableRef(t.name(), flat, t.rowCount()));
        slots.put(scan, StructSlots.ofTable(t.schema(), flat));
        return scan;
    }

    private Rel project(LogicalProject p) {
        Rel in = translate(p.getInput());
        java.util.Optional<org.apache.calcite.rex.RexCall> hop = p.getProjects().stream()
                .filter(e -> e instanceof org.apache.calcite.rex.RexCall c && RexTranslator.isHop(c)).map(e -> (org.apache.calcite.rex.RexCall) e).findFirst();
        if (hop.isPresent()) in = hopRows(flat(in, "a HOP window"), hop.get());
        java.util.Map<String, Integer> inferred = new java.util.HashMap<>();
        List<org.apache.calcite.rex.RexCall> predicts = predictCalls(p.getProjects());
        if (!predicts.isEmpty()) in = inference(in, p, predicts, inferred);
        RexTranslator rt = new RexTranslator(in.schema(), slots(in), p.getCluster().getRexBuilder(), inferred);
        List<StructSlots.Value> values = new ArrayList<>();
        for (RexNode e : p.getProjects()) values.add(rt.value(e));
        if (values.stream().allMatch(v -> v instanceof StructSlots.One)) {
            return new Project(in, values.stream().map(v -> ((StructSlots.One) v).expr()).toList(), p.getRowType().getFieldNames());
        }
        // a struct selected whole: its fields become columns, and the slots say which
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            exprs.addAll(StructSlots.leaves(values.get(i)));
            names.addAll(StructSlots.leafNames(p.getRowType().getFieldNames().get(i), values.get(i)));
        }
        Rel project = new Project(in, exprs, names);
        int[] next = {0};
        slots.put(project, values.stream().map(v -> StructSlots.renumbered(v, project.schema(), next)).toList());
        return project;
    }

    /** The distinct PREDICT calls in the expressions (innermost first), by digest. */
    private static List<org.apache.calcite.rex.RexCall> predictCalls(List<RexNode> exprs) {
        java.util.Map<String, org.apache.calcite.rex.RexCall> found = new java.util.LinkedHashMap<>();
        org.apache.calcite.rex.RexVisitorImpl<Void> v = new org.apache.calcite.rex.RexVisitorImpl<>(true) {
            @Override
            public Void visitCall(org.apache.calcite.rex.RexCall call) {
                super.visitCall(call);
                if (ModelCalls.isPredict(call.getOperator().getName())) found.putIfAbsent(call.toString(), call);
                return null;
            }
        };
        for (RexNode e : exprs) e.accept(v);
        return List.copyOf(found.values());
    }

    /**
     * The input with one Infer per PREDICT call: the call's arguments become columns (computed by
     * a projection when they are not columns already), and its result the Infer's output column,
     * recorded in {@code inferred} under the call's digest for the projection above to refer to.
     */
    private Rel inference(Rel in, LogicalProject p, List<org.apache.calcite.rex.RexCall> calls, java.util.Map<String, Integer> inferred) {
        Rel rows = in;
        for (org.apache.calcite.rex.RexCall call : calls) {
            if (!(call.getOperands().getFirst() instanceof RexLiteral name) || name.getValueAs(String.class) == null) {
                throw new KilnException("PREDICT's first argument must name a model: PREDICT(my_model, column, ...)");
            }
            String modelName = name.getValueAs(String.class);
            List<dev.kiln.ir.rel.ModelRef> stages = catalog.modelStages(modelName);
            if (stages.isEmpty()) {
                throw new KilnException("no model " + modelName
                        + (catalog.modelNames().isEmpty() ? "; register one with CREATE MODEL " + modelName + " FROM 'path/model.onnx'" : "; models: " + catalog.modelNames()));
            }
            RexTranslator rt = new RexTranslator(rows.schema(), slots(rows), p.getCluster().getRexBuilder(), inferred);
            List<Expr> args = new ArrayList<>();
            for (RexNode a : call.getOperands().subList(1, call.getOperands().size())) args.add(modelArgument(rt.value(a), call));
            List<Integer> argCols = new ArrayList<>();
            List<Expr> computed = new ArrayList<>();
            for (Expr a : args) {
                if (a instanceof ColumnRef c) {
                    argCols.add(c.index());
                } else {
                    argCols.add(rows.schema().size() + computed.size());
                    computed.add(a);
                }
            }
            if (!computed.isEmpty()) {
                List<Expr> exprs = new ArrayList<>();
                List<String> names = new ArrayList<>(rows.schema().names());
                for (int i = 0; i < rows.schema().size(); i++) exprs.add(new ColumnRef(i, rows.schema().field(i).type(), rows.schema().field(i).nullable()));
                for (int i = 0; i < computed.size(); i++) {
                    exprs.add(computed.get(i));
                    names.add("$arg" + i);
                }
                rows = keepSlots(rows, new Project(rows, exprs, names));
            }
            // a model of one input [N, F] called with F numbers: the numbers become its feature vector
            if (argCols.size() > 1 && stages.getFirst().graph().inputs().size() == 1) {
                Rel argRows = rows;
                boolean numbers = argCols.stream().allMatch(c -> argRows.schema().field(c).type().isNumeric());
                var fed = stages.getFirst().fedByColumns(argCols.size());
                if (numbers && fed.isPresent()) {
                    stages = new ArrayList<>(stages);
                    stages.set(0, fed.get());
                }
            }
            // each stage takes the previous one's outputs; the call's value is the last stage's first output
            for (int s = 0; s < stages.size(); s++) {
                var graph = stages.get(s).graph();
                boolean last = s == stages.size() - 1;
                List<dev.kiln.ir.rel.Infer.Output> outs = new ArrayList<>();
                for (var o : last ? graph.outputs().subList(0, 1) : graph.outputs()) {
                    outs.add(new dev.kiln.ir.rel.Infer.Output(o.name(), "$predict" + inferred.size() + (last ? "" : "$" + s + "_" + o.name())));
                }
                dev.kiln.ir.rel.Infer inf = new dev.kiln.ir.rel.Infer(rows, stages.get(s), argCols, outs);
                dev.kiln.ir.rel.PlanValidator.validate(inf);
                int first = rows.schema().size();
                rows = keepSlots(rows, inf);
                argCols = new ArrayList<>();
                for (int o = 0; o < outs.size(); o++) argCols.add(first + o);
            }
            inferred.put(call.toString(), rows.schema().size() - 1);
        }
        return rows;
    }

    /** {@code to}, which appends columns to {@code from}: its Calcite fields sit where {@code from}'s do. */
    private Rel keepSlots(Rel from, Rel to) {
        slots(from).ifPresent(sl -> slots.put(to, sl));
        return to;
    }

    /** A model's argument: a value, or an image struct, whose pixels ({@code data}) the model reads. */
    private static Expr modelArgument(StructSlots.Value v, org.apache.calcite.rex.RexCall call) {
        if (v instanceof StructSlots.StructValue s) {
            int data = s.names().stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList().indexOf("data");
            if (data >= 0 && s.fields().get(data) instanceof StructSlots.One pixels) return pixels.expr();
        }
        return StructSlots.scalar(v, "as an argument of " + call.getOperator().getName() + " (an image struct passes its data field)");
    }

    /**
     * GROUP BY HOP(ts, slide, size): each row belongs to size/slide sliding windows, so the rows
     * are crossed with the window numbers 0..size/slide-1 (a constant table, column {@code $hop}),
     * from which the HOP call computes each window's start (see {@link RexTranslator}).
     */
    private static Rel hopRows(Rel in, org.apache.calcite.rex.RexCall hop) {
        long[] w = RexTranslator.hopWidths(hop);
        long k = w[1] / w[0];
        if (k > 1000) throw new KilnException("a HOP window of " + k + " slides is too many windows per row; make the slide at least size / 1000");
        Schema one = Schema.of(new dev.kiln.ir.type.Field("$hop", DataType.BIGINT, false));
        List<List<Expr>> rows = new ArrayList<>();
        for (long j = 0; j < k; j++) rows.add(List.of(new dev.kiln.ir.expr.Literal(j, DataType.BIGINT)));
        return new Join(in, new Values(one, rows), JoinKind.INNER, dev.kiln.ir.expr.Exprs.TRUE);
    }

    /** The group key that is a SESSION(ts, gap) call of the aggregate's input projection, or -1. */
    private static int sessionKey(LogicalAggregate a) {
        if (!(a.getInput() instanceof org.apache.calcite.rel.logical.LogicalProject p)) return -1;
        for (int k : a.getGroupSet().asList()) {
            if (p.getProjects().get(k) instanceof org.apache.calcite.rex.RexCall c && RexTranslator.isSession(c)) return k;
        }
        return -1;
    }

    /**
     * The projection under a GROUP BY SESSION(ts, gap): its column {@code session} is ts itself,
     * and a {@link SessionWindow} over it appends each row's session start (sessions of rows with
     * equal other group keys), which the aggregation groups by instead.
     */
    private Rel sessionRows(org.apache.calcite.rel.logical.LogicalProject p, int session, List<Integer> groupKeys) {
        Rel in = translate(p.getInput());
        RexTranslator rt = rex(in, p);
        org.apache.calcite.rex.RexCall call = (org.apache.calcite.rex.RexCall) p.getProjects().get(session);
        long gap = RexTranslator.sessionGap(call);
        List<Expr> exprs = new ArrayList<>();
        for (int i = 0; i < p.getProjects().size(); i++) {
            RexNode e = p.getProjects().get(i);
            if (i != session && e instanceof org.apache.calcite.rex.RexCall c && RexTranslator.isSession(c)) {
                throw new KilnException("a GROUP BY can have one SESSION window, not several");
            }
            exprs.add(rt.translate(i == session ? call.getOperands().getFirst() : e));
        }
        if (!(exprs.get(session).type() instanceof DataType.TimestampType)) {
            throw new KilnException("SESSION needs a TIMESTAMP, not " + exprs.get(session).type().sql());
        }
        Rel rows = new Project(in, exprs, p.getRowType().getFieldNames());
        List<Integer> others = groupKeys.stream().filter(k -> k != session).toList();
        return new SessionWindow(rows, others, session, gap, "session_start");
    }

    private Rel join(LogicalJoin j) {
        Rel left = flat(translate(j.getLeft()), "a join");
        Rel right = flat(translate(j.getRight()), "a join");
        JoinKind kind = switch (j.getJoinType()) {
            case INNER -> JoinKind.INNER;
            case LEFT -> JoinKind.LEFT;
            case RIGHT -> JoinKind.RIGHT;
            case FULL -> JoinKind.FULL;
            case SEMI -> JoinKind.SEMI;
            case ANTI -> JoinKind.ANTI;
            default -> throw new KilnException(j.getJoinType() + " joins are not supported yet");
        };
        Schema both = left.schema().concat(right.schema());
        Expr cond = rex(both, j).translate(j.getCondition());
        return new Join(left, right, kind, cond);
    }

    private Rel aggregate(LogicalAggregate a) {
        if (a.getGroupType() != org.apache.calcite.rel.core.Aggregate.Group.SIMPLE) {
            throw new KilnException("GROUPING SETS, ROLLUP and CUBE are not supported yet");
        }
        // GROUP BY SESSION(ts, gap), k...: the rows with their session's start, kept apart by the other keys
        int session = sessionKey(a);
        Rel in = session < 0 ? countable(translate(a.getInput()), a) : sessionRows((org.apache.calcite.rel.logical.LogicalProject) a.getInput(), session, a.getGroupSet().asList());
        // agg(x) FILTER (WHERE f) is agg(CASE WHEN f THEN x END), COUNT(*) FILTER (WHERE f) is
        // COUNT(CASE WHEN f THEN 1 END): the cases are columns appended by a Project below
        List<List<Integer>> argLists = new ArrayList<>();
        List<Expr> appended = new ArrayList<>();
        for (AggregateCall c : a.getAggCallList()) {
            if (c.filterArg < 0) {
                argLists.add(c.getArgList());
                continue;
            }
            SqlKind k = c.getAggregation().getKind();
            if (k != SqlKind.COUNT && k != SqlKind.SUM && k != SqlKind.SUM0 && k != SqlKind.AVG && k != SqlKind.MIN && k != SqlKind.MAX || c.getArgList().size() > 1) {
                throw new KilnException("aggregate FILTER clauses are supported with COUNT, SUM, AVG, MIN and MAX of one argument, not with " + c.getAggregation().getName());
            }
            Field f = in.schema().field(c.filterArg);
            Expr cond = new ColumnRef(c.filterArg, f.type(), f.nullable());
            Expr value;
            if (c.getArgList().isEmpty()) {
                value = dev.kiln.ir.expr.Literal.ofInt(1);
            } else {
                Field x = in.schema().field(c.getArgList().getFirst());
                value = new ColumnRef(c.getArgList().getFirst(), x.type(), x.nullable());
            }
            appended.add(TypeRules.caseWhen(List.of(new dev.kiln.ir.expr.Case.When(cond, value)), new dev.kiln.ir.expr.NullLiteral(value.type())));
            argLists.add(List.of(in.schema().size() + appended.size() - 1));
        }
        if (!appended.isEmpty()) {
            List<Expr> exprs = new ArrayList<>();
            List<String> pnames = new ArrayList<>();
            for (int i = 0; i < in.schema().size(); i++) {
                Field f = in.schema().field(i);
                exprs.add(new ColumnRef(i, f.type(), f.nullable()));
                pnames.add(f.name());
            }
            for (int i = 0; i < appended.size(); i++) {
                exprs.add(appended.get(i));
                pnames.add("$filtered" + i);
            }
            in = new Project(in, exprs, pnames);
        }
        Schema s = in.schema();
        int sessionStart = session < 0 ? -1 : a.getInput().getRowType().getFieldCount();
        List<Integer> keys = a.getGroupSet().asList().stream().map(k -> k == session ? sessionStart : k).toList();
        List<AggCall> calls = new ArrayList<>();
        List<String> names = a.getRowType().getFieldNames();
        // Calcite functions without a Kiln aggregate become expressions in a Project above the
        // Aggregate: LITERAL_AGG (from sub-query rewrites) is a constant per group, and $SUM0
        // (from distinct-aggregate expansion) is COALESCE(SUM(x), 0).
        List<Optional<Expr>> literals = new ArrayList<>();
        List<Boolean> sum0 = new ArrayList<>();
        for (int i = 0; i < a.getAggCallList().size(); i++) {
            AggregateCall c = a.getAggCallList().get(i);
            SqlKind kind = c.getAggregation().getKind();
            sum0.add(kind == SqlKind.SUM0);
            if (kind == SqlKind.LITERAL_AGG) {
                literals.add(Optional.of(RexTranslator.literal((RexLiteral) c.rexList.getFirst())));
                continue;
            }
            literals.add(Optional.empty());
            if (c.isDistinct()) throw new KilnException("DISTINCT aggregates in this form are not supported yet");
            AggFunc f = switch (kind) {
                case COUNT -> AggFunc.COUNT;
                case SUM, SUM0 -> AggFunc.SUM;
                case AVG -> AggFunc.AVG;
                case MIN -> AggFunc.MIN;
                case MAX -> AggFunc.MAX;
                case SINGLE_VALUE -> AggFunc.SINGLE_VALUE;
                case ANY_VALUE -> AggFunc.ANY_VALUE;
                default -> throw new KilnException("aggregate function " + c.getAggregation().getName() + " is not supported yet");
            };
            List<Integer> args = argLists.get(i);
            if (f == AggFunc.COUNT && args.size() > 1) throw new KilnException("COUNT with several arguments is not supported yet");
            Optional<DataType> argType = args.isEmpty() ? Optional.empty() : Optional.of(s.field(args.getFirst()).type());
            DataType type = TypeRules.aggregateType(f, argType);
            boolean nullable = f != AggFunc.COUNT && (keys.isEmpty() || args.stream().anyMatch(k -> s.field(k).nullable()) || f == AggFunc.SINGLE_VALUE);
            calls.add(new AggCall(f, args, false, type, nullable, names.get(keys.size() + i)));
        }
        Aggregate agg = new Aggregate(in, keys, calls);
        List<Field> fields = agg.schema().fields();
        boolean reshape = literals.stream().anyMatch(Optional::isPresent) || sum0.contains(true);
        for (int i = 0; i < keys.size(); i++) reshape |= !fields.get(i).name().equals(names.get(i));
        if (!reshape) return agg;
        // Calcite names group keys after the input; keep the names it gave the output
        List<Expr> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) out.add(new ColumnRef(i, fields.get(i).type(), fields.get(i).nullable()));
        int next = keys.size();
        for (int i = 0; i < literals.size(); i++) {
            if (literals.get(i).isPresent()) {
                out.add(literals.get(i).get());
                continue;
            }
            Expr column = new ColumnRef(next, fields.get(next).type(), fields.get(next).nullable());
            out.add(sum0.get(i) ? TypeRules.coalesce(List.of(column, zero(column.type()))) : column);
            next++;
        }
        return new Project(agg, out, names);
    }

    /**
     * The input of an aggregation, one column per Calcite field: a STRUCT field, which only
     * COUNT may take (a struct is counted where it is not NULL), becomes TRUE where the struct is
     * present and NULL where it is NULL.
     */
    private Rel countable(Rel in, LogicalAggregate a) {
        var sl = slots(in);
        if (sl.isEmpty()) return in;
        for (int k : a.getGroupSet().asList()) {
            if (sl.get().get(k) instanceof StructSlots.StructValue) throw new KilnException("GROUP BY a STRUCT is not supported: group by its fields (image.height, ...)");
        }
        for (AggregateCall c : a.getAggCallList()) {
            boolean struct = c.getArgList().stream().anyMatch(k -> sl.get().get(k) instanceof StructSlots.StructValue)
                    || c.filterArg >= 0 && sl.get().get(c.filterArg) instanceof StructSlots.StructValue;
            if (struct && c.getAggregation().getKind() != SqlKind.COUNT) {
                throw new KilnException(c.getAggregation().getName() + " of a STRUCT is not supported (COUNT is): aggregate one of its fields (image.height, ...)");
            }
        }
        List<Expr> exprs = new ArrayList<>();
        List<String> names = a.getInput().getRowType().getFieldNames();
        for (StructSlots.Value field : sl.get()) {
            exprs.add(switch (field) {
                case StructSlots.One o -> o.expr();
                case StructSlots.StructValue v -> TypeRules.caseWhen(List.of(new dev.kiln.ir.expr.Case.When(StructSlots.isNull(v), new dev.kiln.ir.expr.NullLiteral(DataType.BOOLEAN))),
                        dev.kiln.ir.expr.Literal.of(true));
            });
        }
        return new Project(in, exprs, names);
    }

    /** The literal 0 of a numeric type. */
    private static Expr zero(DataType type) {
        return switch (type) {
            case DataType.IntType i -> new dev.kiln.ir.expr.Literal(0L, type);
            case DataType.DecimalType d -> new dev.kiln.ir.expr.Literal(java.math.BigDecimal.ZERO.setScale(d.scale()), type);
            case DataType.DoubleType d -> new dev.kiln.ir.expr.Literal(0.0, type);
            default -> throw new KilnException("$SUM0 over " + type.sql() + " is not supported");
        };
    }

    private Rel sort(LogicalSort s) {
        Rel in = flat(translate(s.getInput()), "ORDER BY or LIMIT");
        List<SortKey> keys = new ArrayList<>();
        for (RelFieldCollation fc : s.getCollation().getFieldCollations()) {
            boolean asc = !fc.getDirection().isDescending();
            boolean nullsFirst = switch (fc.nullDirection) {
                case FIRST -> true;
                case LAST -> false;
                default -> !asc;
            };
            keys.add(new SortKey(fc.getFieldIndex(), asc, nullsFirst));
        }
        long offset = s.offset == null ? 0 : constant(s.offset, "OFFSET");
        long limit = s.fetch == null ? -1 : constant(s.fetch, "LIMIT");
        return new Sort(in, keys, offset, limit);
    }

    private static long constant(RexNode n, String what) {
        if (n instanceof RexLiteral l) return l.getValueAs(Long.class);
        throw new KilnException(what + " must be a constant");
    }

    /** UNION ALL, each input cast to the union's column types (Calcite's least restrictive ones). */
    private Rel union(org.apache.calcite.rel.logical.LogicalUnion u) {
        List<Field> fields = new ArrayList<>();
        for (var f : u.getRowType().getFieldList()) fields.add(new Field(f.getName(), TypeMapping.fromCalcite(f.getType()), f.getType().isNullable()));
        List<Rel> ins = new ArrayList<>();
        for (RelNode input : u.getInputs()) {
            Rel in = flat(translate(input), "UNION");
            boolean same = true;
            List<Expr> exprs = new ArrayList<>();
            for (int c = 0; c < fields.size(); c++) {
                Field f = in.schema().field(c);
                Expr ref = new dev.kiln.ir.expr.ColumnRef(c, f.type(), f.nullable());
                if (!f.type().equals(fields.get(c).type())) {
                    ref = TypeRules.castTo(ref, fields.get(c).type());
                    same = false;
                }
                exprs.add(ref);
            }
            ins.add(same ? in : new Project(in, exprs, fields.stream().map(Field::name).toList()));
        }
        // nullable where any input is (Calcite's row type may say NULL where no input can be)
        List<Field> out = new ArrayList<>();
        for (int c = 0; c < fields.size(); c++) {
            boolean nullable = false;
            for (Rel in : ins) nullable |= in.schema().field(c).nullable();
            out.add(new Field(fields.get(c).name(), fields.get(c).type(), nullable));
        }
        return new dev.kiln.ir.rel.Union(new Schema(out), ins);
    }

    private Rel values(LogicalValues v) {
        List<Field> fields = new ArrayList<>();
        var rowType = v.getRowType();
        for (var f : rowType.getFieldList()) fields.add(new Field(f.getName(), TypeMapping.fromCalcite(f.getType()), f.getType().isNullable()));
        Schema schema = new Schema(fields);
        List<List<Expr>> rows = new ArrayList<>();
        for (var tuple : v.getTuples()) {
            List<Expr> row = new ArrayList<>();
            for (int i = 0; i < tuple.size(); i++) {
                Expr lit = RexTranslator.literal(tuple.get(i));
                row.add(foldCast(lit, schema.field(i).type()));
            }
            rows.add(row);
        }
        return new Values(schema, rows);
    }

    /** Values hold literals of exactly the column type. */
    private static Expr foldCast(Expr lit, DataType type) {
        if (lit.type().equals(type)) return lit;
        if (lit instanceof dev.kiln.ir.expr.NullLiteral) return new dev.kiln.ir.expr.NullLiteral(type);
        dev.kiln.ir.expr.Literal l = (dev.kiln.ir.expr.Literal) lit;
        Object v = l.value();
        return switch (type) {
            case DataType.IntType i -> new dev.kiln.ir.expr.Literal(((Number) v).longValue(), type);
            case DataType.DecimalType d -> new dev.kiln.ir.expr.Literal(new java.math.BigDecimal(v.toString()).setScale(d.scale()), type);
            case DataType.DoubleType d -> new dev.kiln.ir.expr.Literal(Double.valueOf(v.toString()), type);
            default -> new dev.kiln.ir.expr.Literal(v, type);
        };
    }

}
