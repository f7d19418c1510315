package dev.kiln.engine;

import dev.kiln.frontend.plan.Column;
import dev.kiln.frontend.plan.HasRelation;
import dev.kiln.frontend.plan.Relation;
import dev.kiln.ir.type.Schema;
import java.util.List;

/**
 * A query built in code over one session's tables: an immutable {@link Relation} (the plan API
 * of the frontend, which checks every call as it is made) together with the session that runs it.
 * Every operation returns a new frame; {@link #collect} runs the plan through the optimizer and
 * the compiled pipelines, exactly as SQL runs.
 *
 * <pre>{@code
 * kiln.table("lineitem")
 *     .filter(col("l_shipdate").ge(date("1994-01-01")))
 *     .groupBy(col("l_returnflag"))
 *     .agg(sum(col("l_extendedprice").times(col("l_discount"))).as("revenue"))
 *     .orderBy(col("revenue").desc())
 *     .collect();
 * }</pre>
 */
public final class Frame implements HasRelation {
    private final Kiln kiln;
    private final Relation relation;

    Frame(Kiln kiln, Relation relation) {
        this.kiln = kiln;
        this.relation = relation;
    }

    private Frame with(Relation r) {
        return new Frame(kiln, r);
    }

    Kiln kiln() {
        return kiln;
    }

    /** The same session over another plan (plan steps built in the engine, such as ImagePredictor's). */
    Frame withPlan(dev.kiln.ir.rel.Rel plan) {
        return new Frame(kiln, Relation.of(plan));
    }

    @Override
    public Relation relation() {
        return relation;
    }

    public Schema schema() {
        return relation.schema();
    }

    public List<String> columnNames() {
        return relation.columnNames();
    }

    /** @see Relation#as */
    public Frame as(String alias) { return with(relation.as(alias)); }
    /** @see Relation#filter */
    public Frame filter(Column condition) { return with(relation.filter(condition)); }
    public Frame where(Column condition) { return with(relation.where(condition)); }
    /** @see Relation#select */
    public Frame select(Column... columns) { return with(relation.select(columns)); }
    public Frame select(String... columns) { return with(relation.select(columns)); }
    public Frame withColumn(String name, Column value) { return with(relation.withColumn(name, value)); }
    public Frame drop(String... columns) { return with(relation.drop(columns)); }
    public Frame rename(String from, String to) { return with(relation.rename(from, to)); }
    /** Aggregates over all rows (one row). */
    public Frame agg(Column... outputs) { return with(relation.agg(outputs)); }
    public Frame distinct() { return with(relation.distinct()); }
    public Frame join(HasRelation right, Column on) { return with(relation.join(right, on)); }
    public Frame join(HasRelation right, Column on, Relation.JoinType type) { return with(relation.join(right, on, type)); }
    public Frame crossJoin(HasRelation right) { return with(relation.crossJoin(right)); }
    public Frame orderBy(Column... keys) { return with(relation.orderBy(keys)); }
    public Frame limit(long n) { return with(relation.limit(n)); }
    public Frame offset(long n) { return with(relation.offset(n)); }
    public Frame unionAll(HasRelation other) { return with(relation.unionAll(other)); }
    public Frame union(HasRelation other) { return with(relation.union(other)); }
    public Frame intersect(HasRelation other) { return with(relation.intersect(other)); }
    public Frame except(HasRelation other) { return with(relation.except(other)); }

    /** GROUP BY the keys; finish with {@code agg(...)}. */
    public Grouped groupBy(Column... keys) {
        return new Grouped(relation.groupBy(keys));
    }

    public Grouped groupBy(String... keys) {
        return new Grouped(relation.groupBy(keys));
    }

    /** A grouping of this frame waiting for its aggregates. */
    public final class Grouped {
        private final Relation.Grouped grouped;

        private Grouped(Relation.Grouped grouped) {
            this.grouped = grouped;
        }

        /** The group keys followed by one column per output. */
        public Frame agg(Column... outputs) {
            return with(grouped.agg(outputs));
        }

        /** COUNT(*) per group, as column {@code count}. */
        public Frame count() {
            return with(grouped.count());
        }
    }

    /** Runs the plan; the result holds its memory until closed. */
    public QueryResult collect() {
        return kiln.collect(relation);
    }

    /** Runs the plan and maps its rows to records (the result is closed). */
    public <R extends Record> List<R> collectAs(Class<R> type) {
        try (QueryResult r = collect()) {
            return r.as(type);
        }
    }

    /** The number of rows. */
    public long count() {
        try (QueryResult r = kiln.collect(relation.agg(dev.kiln.frontend.plan.Functions.count().as("count")))) {
            return r.getLong(0, 0);
        }
    }

    /** The logical plan, the optimizer's trace, the optimized plan and the pipelines, as EXPLAIN shows them. */
    public Explain explain() {
        return kiln.explain(relation);
    }

    /** The generated Java source of every pipeline. */
    public String explainCodegen() {
        return kiln.explainCodegen(relation);
    }

    /** A plan with {@code param(...)} placeholders, to run with different values; see {@link PreparedPlan}. */
    public PreparedPlan prepare() {
        return new PreparedPlan(kiln, relation);
    }

    /** The logical plan. */
    @Override
    public String toString() {
        return relation.toString();
    }

    /** @see Relation#hopWindows */
    public Frame hopWindows(String time, java.time.Duration slide, java.time.Duration size, String name) {
        return with(relation.hopWindows(time, slide, size, name));
    }

    /** @see Relation#sessionWindows */
    public Frame sessionWindows(String time, java.time.Duration gap, String name, String... keys) {
        return with(relation.sessionWindows(time, gap, name, keys));
    }

    /** Runs this query on its streams: {@code .writeStream().outputMode(...).to(sink).start()}. */
    public dev.kiln.engine.stream.DataStreamWriter writeStream() {
        return kiln.writeStream(this);
    }
}
