package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.ArrayLoad;
import dev.kiln.codegen.tree.AssignThisField;
import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.ClassDef;
import dev.kiln.codegen.tree.Convert;
import dev.kiln.codegen.tree.FieldDef;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JStmt;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.LocalVar;
import dev.kiln.codegen.tree.MethodDef;
import dev.kiln.codegen.tree.ThisField;
import dev.kiln.runtime.vector.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One generated pipeline class under construction: its fields, the literal parameters and
 * runtime resources they are initialised from, and the bodies of {@code consume} (the fused row
 * loop) and {@code finish}. The class text depends only on the plan's shape; literal values and
 * resources are passed to {@code init}, so equal shapes share one compiled class.
 */
final class PipelineClass {
    static final LocalVar PARAMS = new LocalVar("params", JType.of(Object[].class));
    static final LocalVar RESOURCES = new LocalVar("resources", JType.of(Object[].class));
    static final LocalVar BATCH = new LocalVar("batch", JType.of(Batch.class));

    final int id;
    final String description;
    /** Operator names in order, for EXPLAIN. */
    final List<String> ops = new ArrayList<>();
    Step.Source source;
    private final List<FieldDef> fields = new ArrayList<>();
    private final List<JStmt> init = new ArrayList<>();
    final List<Object> params = new ArrayList<>();
    final List<Step.Resource> resources = new ArrayList<>();
    /** Statements of consume() before the row loop (column segments, loaded accumulators). */
    final List<JStmt> prologue = new ArrayList<>();
    /**
     * Loops of consume() after the row loop that emit the entries of a marked join-build table
     * (one per table in {@link #drainTables}); each runs only in the call {@link PipelineBase#drain}
     * makes for it, over the entry range it gives.
     */
    final List<JStmt> drains = new ArrayList<>();
    final List<Integer> drainTables = new ArrayList<>();
    private ThisField drainWhich;
    private ThisField drainFrom;
    private ThisField drainTo;

    /**
     * Registers the drain loop of a marked join-build table (once per table: a consumer emitted
     * twice must not emit the entries twice); {@code loop} builds it from the range fields
     * (from, to). Returns false if the table has its loop already.
     */
    boolean addDrain(int tableId, java.util.function.BiFunction<ThisField, ThisField, JStmt> loop) {
        if (drainTables.contains(tableId)) return false;
        if (drainWhich == null) {
            drainWhich = field("drainWhich", JType.INT);
            drainFrom = field("drainFrom", JType.LONG);
            drainTo = field("drainTo", JType.LONG);
            LocalVar w = new LocalVar("which", JType.INT);
            LocalVar f = new LocalVar("from", JType.LONG);
            LocalVar t = new LocalVar("to", JType.LONG);
            extraMethods.add(new MethodDef("setDrain", JType.VOID, List.of(w, f, t), Block.of(
                    new AssignThisField(drainWhich.name(), JType.INT, new Local(w)),
                    new AssignThisField(drainFrom.name(), JType.LONG, new Local(f)),
                    new AssignThisField(drainTo.name(), JType.LONG, new Local(t))), true));
        }
        drainTables.add(tableId);
        drains.add(dev.kiln.codegen.tree.If.of(J.eq(drainWhich, J.c(drainTables.size())), Block.of(loop.apply(drainFrom, drainTo))));
        return true;
    }
    /** Statements of consume() after the row loop (accumulators written back). */
    final List<JStmt> epilogue = new ArrayList<>();
    final CodeBuilder body = new CodeBuilder();
    final CodeBuilder finish = new CodeBuilder();
    final List<MethodDef> extraMethods = new ArrayList<>();
    private JStmt loop;
    private int nextField;

    PipelineClass(int id, String description) {
        this.id = id;
        this.description = description;
    }

    private int nextMethod;

    /** A fresh name for a private method split out of consume(). */
    String methodName(String hint) {
        return hint + "_m" + (nextMethod++);
    }

    /** A new private field of the generated class. */
    ThisField field(String hint, JType type) {
        String name = hint + "_f" + (nextField++);
        fields.add(new FieldDef(name, type));
        return new ThisField(name, type);
    }

    /**
     * A literal passed at init time: {@code convert} turns the raw {@code Object} read from the
     * params array into the field's type.
     */
    ThisField param(Object value, JType type, Function<JExpr, JExpr> convert) {
        ThisField f = field("p", type);
        int index = params.size();
        params.add(value);
        init.add(new AssignThisField(f.name(), type, convert.apply(new ArrayLoad(new dev.kiln.codegen.tree.Local(PARAMS), J.c(index)))));
        return f;
    }

    /** A runtime object (hash table, collector…) of the given class, passed at init time. */
    ThisField resource(Step.Resource value, Class<?> type) {
        ThisField f = field("r", JType.of(type));
        int index = resources.size();
        resources.add(value);
        init.add(new AssignThisField(f.name(), f.type(), new Convert(new ArrayLoad(new Local(RESOURCES), J.c(index)), JType.of(type))));
        return f;
    }

    private ThisField counters;

    /** The per-worker row counters of EXPLAIN ANALYZE (one field per class). */
    ThisField counters(int operators) {
        if (counters == null) counters = resource(new Step.ProfileResource(operators), long[].class);
        return counters;
    }

    void setLoop(JStmt loop) {
        this.loop = loop;
    }

    /** A field set once in init(), e.g. to a scratch array. */
    ThisField initializedField(String hint, JType type, JExpr value) {
        ThisField f = field(hint, type);
        init.add(new AssignThisField(f.name(), type, value));
        return f;
    }

    /** Rows per chunk of a staged probe: its arrays stay in the L1 cache. */
    static final int STAGE_ROWS = 1024;

    /**
     * The scan's row index while the scan generates its loop body with nothing but filters
     * before the current point, so a hash probe may still stage the loop (see {@link ProbeStage});
     * empty otherwise.
     */
    Optional<dev.kiln.codegen.tree.Local> stageableRow = Optional.empty();

    /**
     * A staged probe: the row loop runs over chunks of {@link #STAGE_ROWS} rows in two loops.
     * The first filters, hashes and looks up the bucket heads of the whole chunk (independent
     * loads, so the CPU overlaps their cache misses) and records the rows that have a candidate
     * entry; the second runs the rest of the pipeline for those rows, with the row index set to
     * each recorded one. {@code count} is the number of recorded rows, {@code rows} their indexes,
     * {@code j} the second loop's counter.
     */
    record ProbeStage(LocalVar count, ThisField rows, LocalVar j, Block body) {}

    /**
     * The staged probes of the scan loop, in the order their loops run: a probe inside the
     * second stage of another may stage again, its records taken by a loop after that stage's.
     */
    final List<ProbeStage> stages = new ArrayList<>();

    ClassDef toClassDef() {
        List<JStmt> consume = new ArrayList<>(prologue);
        if (loop != null) consume.add(loop);
        consume.addAll(drains);
        consume.addAll(epilogue);
        List<MethodDef> methods = new ArrayList<>();
        // a query with hundreds of literals would make init() alone pass the JIT's limit: chunks of it go to helpers
        List<JStmt> initBody = new ArrayList<>();
        if (init.size() <= INIT_CHUNK) {
            initBody.addAll(init);
        } else {
            for (int from = 0; from < init.size(); from += INIT_CHUNK) {
                String name = methodName("init");
                methods.add(new MethodDef(name, JType.VOID, List.of(PARAMS, RESOURCES), new Block(List.copyOf(init.subList(from, Math.min(init.size(), from + INIT_CHUNK)))), false));
                initBody.add(J.eval(new dev.kiln.codegen.tree.InvokeThis(name, JType.VOID, List.of(new Local(PARAMS), new Local(RESOURCES)))));
            }
        }
        methods.add(new MethodDef("init", JType.VOID, List.of(PARAMS, RESOURCES), new Block(initBody), true));
        methods.add(new MethodDef("consume", JType.VOID, List.of(BATCH), new Block(consume), true));
        methods.add(new MethodDef("finish", JType.VOID, List.of(), finish.close(), true));
        methods.addAll(extraMethods);
        return new ClassDef("Pipeline" + id, "dev.kiln.generated", PipelineBase.class, List.of(), fields, methods);
    }

    /** Field assignments per init() helper (each a few bytes of bytecode: well under the 8 KB limit). */
    static final int INIT_CHUNK = 150;

    static JExpr unboxLong(JExpr raw) {
        return J.vcall(new Convert(raw, JType.of(Long.class)), Long.class, "longValue");
    }

    static JExpr unboxInt(JExpr raw) {
        return J.vcall(new Convert(raw, JType.of(Integer.class)), Integer.class, "intValue");
    }

    static JExpr unboxDouble(JExpr raw) {
        return J.vcall(new Convert(raw, JType.of(Double.class)), Double.class, "doubleValue");
    }

    static JExpr unboxBoolean(JExpr raw) {
        return J.vcall(new Convert(raw, JType.of(Boolean.class)), Boolean.class, "booleanValue");
    }
}
