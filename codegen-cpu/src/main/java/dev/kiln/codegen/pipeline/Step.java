package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.ClassDef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.vector.Table;
import java.util.List;

/**
 * One step of a physical plan, executed in order by the driver: a compiled pipeline, or a
 * runtime operation between pipelines (sorting a materialized result, materializing constants).
 */
public sealed interface Step {
    /** Where a pipeline's batches come from. */
    sealed interface Source {}

    /** The rows of a table, bound when the plan was made ({@code ref} lets a compiled query bind other rows to it). */
    record TableSource(dev.kiln.ir.rel.TableRef ref, Table table) implements Source {}

    /** A result materialized by an earlier step, with the schema of its batches. */
    record ResultSource(int resultId, Schema schema) implements Source {}

    /** Runtime objects a pipeline needs, created fresh for every execution. */
    sealed interface Resource {}

    /**
     * A hash table, filled by the one pipeline whose sink it is and read by later ones.
     *
     * @param stringSlots byte offsets within an entry of the heap offsets of its string values
     *                    (relocated when per-thread build tables are merged)
     */
    record HashTableResource(int tableId, int entryBytes, Role role, List<Integer> stringSlots) implements Resource {
        public HashTableResource {
            stringSlots = List.copyOf(stringSlots);
        }
    }

    /** How a hash table is filled, which decides how the per-thread tables of a parallel sink are combined. */
    enum Role {
        /** a hash-join build: per-thread tables are concatenated */
        JOIN_BUILD,
        /** grouped aggregation: per-thread tables are merged by hash partition with the generated {@code merge} */
        GROUPED_AGGREGATE,
        /** aggregation without keys: one entry; per-thread states merged into one */
        GLOBAL_AGGREGATE
    }

    record CollectorResource(int resultId, Schema schema) implements Resource {}

    /**
     * A {@code long[]} of row counts, one slot per plan operator (EXPLAIN ANALYZE), one array per
     * worker, summed after the pipeline.
     */
    record ProfileResource(int operators) implements Resource {}

    /** A literal or prepared object passed as a parameter. */
    record Constant(Object value) implements Resource {}

    /**
     * @param drains the hash tables (ids) whose entries this pipeline emits after its input is
     *               consumed, in this order: the build sides of FULL, RIGHT_SEMI and RIGHT_ANTI
     *               joins it probes, whose probes mark the entries they matched
     */
    record PipelineStep(int id, String description, ClassDef classDef, Source source, List<Object> params,
                        List<Resource> resources, List<Integer> drains) implements Step {
        public PipelineStep {
            drains = List.copyOf(drains);
        }
    }

    record SortStep(int inputResult, int outputResult, Schema schema, List<SortKey> keys, long offset, long limit,
                    String description) implements Step {}

    /** Session windows: the input's rows sorted by (keys, time), each with its session's start appended. */
    record SessionStep(int inputResult, int outputResult, dev.kiln.ir.rel.SessionWindow window, String description) implements Step {}

    /** Inference: the input's rows with the model's outputs appended, rows batched per model call. */
    record InferStep(int inputResult, int outputResult, dev.kiln.ir.rel.Infer infer, String description) implements Step {}

    record ValuesStep(int outputResult, Schema schema, List<List<Expr>> rows) implements Step {}

    /** UNION ALL: the batches of the input results, in order, as one result. */
    record ConcatStep(List<Integer> inputResults, int outputResult) implements Step {}

    /** EXPLAIN ANALYZE: the rows of a result (the final sort's) counted for an operator. */
    record CountStep(int resultId, int operator) implements Step {}
}
