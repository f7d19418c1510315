package dev.kiln.codegen;

import dev.kiln.codegen.pipeline.Step;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.sort.Sorter;
import dev.kiln.runtime.spill.BatchSpill;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.VectorBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one execution of a compiled query: the results materialized so far and the
 * hash tables built so far, all in the query's memory; steps run in plan order.
 */
final class Execution {
    final QueryMemory mem;
    final Workers workers;
    final Map<Integer, List<Batch>> results = new HashMap<>();
    final Map<Integer, BuiltTable> tables = new HashMap<>();
    /** bytes a per-thread sink table may hold before it spills */
    final long sinkLimit;
    /** bytes at which a worker's aggregation table is frozen into a run and started over */
    final long flushBytes;
    /** rows produced per operator slot (EXPLAIN ANALYZE), when the query was compiled with profiling */
    final long[] actualRows;

    Execution(QueryMemory mem, Workers workers, long sinkLimit, long flushBytes, int operators) {
        this.mem = mem;
        this.workers = workers;
        this.sinkLimit = sinkLimit;
        this.flushBytes = flushBytes;
        this.actualRows = new long[operators];
    }

    synchronized void addRows(int operator, long rows) {
        actualRows[operator] += rows;
    }

    /** wall time of each step run so far, in plan order */
    final List<Long> stepNanos = new ArrayList<>();

    void step(Step step, Map<Integer, Class<?>> classes) {
        long t0 = System.nanoTime();
        runStep(step, classes);
        if (BatchSpill.overThreshold(mem)) {
            // materialized results leave the budget (mapped back from disk) so later steps have room
            results.replaceAll((id, batches) -> BatchSpill.offload(batches, mem));
        }
        stepNanos.add(System.nanoTime() - t0);
    }

    private void runStep(Step step, Map<Integer, Class<?>> classes) {
        switch (step) {
            case Step.PipelineStep p -> new PipelineRun(this, p, classes.get(p.id())).run();
            case Step.SortStep s -> results.put(s.outputResult(),
                    Sorter.sort(results.get(s.inputResult()), s.schema(), s.keys(), s.offset(), s.limit(), mem, workers));
            case Step.SessionStep s -> results.put(s.outputResult(), dev.kiln.runtime.window.SessionAssigner.assign(results.get(s.inputResult()),
                    s.window().input().schema(), s.window().keys(), s.window().time(), s.window().gapMicros(), s.window().name(), mem, workers));
            case Step.InferStep s -> {
                var graph = s.infer().model().graph();
                var prelude = s.infer().prelude().map(p -> p.model().graph());
                var exec = new dev.kiln.codegen.infer.InferExecutor(s.infer(), dev.kiln.codegen.pipeline.PipelinePlanner.INFER_BATCH_ROWS);
                List<Batch> out = new ArrayList<>();
                long rows = 0;
                for (Batch b : results.get(s.inputResult())) rows += b.rowCount();
                List<dev.kiln.codegen.infer.ModelRunner> runners = new ArrayList<>(), preludes = new ArrayList<>();
                try {
                    if (workers.threads() > 1 && rows >= 2L * workers.threads() * dev.kiln.codegen.pipeline.PipelinePlanner.INFER_BATCH_ROWS) {
                        // enough rows for every worker: batches side by side, a runner per worker lane (kernels single-threaded in it)
                        for (var lane : workers.lanes()) {
                            runners.add(dev.kiln.codegen.infer.ModelRunners.forGraph(graph, lane));
                            if (prelude.isPresent()) preludes.add(dev.kiln.codegen.infer.ModelRunners.forGraph(prelude.get(), lane));
                        }
                        for (Batch b : results.get(s.inputResult())) out.add(exec.run(b, runners, preludes, workers, mem));
                    } else {
                        runners.add(dev.kiln.codegen.infer.ModelRunners.forGraph(graph, workers));
                        if (prelude.isPresent()) preludes.add(dev.kiln.codegen.infer.ModelRunners.forGraph(prelude.get(), workers));
                        for (Batch b : results.get(s.inputResult())) out.add(exec.run(b, runners.getFirst(), preludes.isEmpty() ? null : preludes.getFirst(), mem));
                    }
                } finally {
                    for (var r : runners) r.close();
                    for (var r : preludes) r.close();
                }
                results.put(s.outputResult(), out);
            }
            case Step.ValuesStep v -> results.put(v.outputResult(), values(v));
            case Step.ConcatStep c -> {
                List<Batch> all = new java.util.ArrayList<>();
                for (int in : c.inputResults()) all.addAll(results.get(in));
                results.put(c.outputResult(), all);
            }
            case Step.CountStep c -> {
                for (Batch b : results.get(c.resultId())) addRows(c.operator(), b.rowCount());
            }
        }
    }

    private List<Batch> values(Step.ValuesStep v) {
        List<ColumnVector> cols = new ArrayList<>();
        for (int c = 0; c < v.schema().size(); c++) {
            VectorBuilder b = new VectorBuilder(v.schema().field(c).type(), mem, Math.max(1, v.rows().size()));
            for (List<Expr> row : v.rows()) {
                b.appendObject(row.get(c) instanceof Literal l ? l.value() : null);
            }
            cols.add(b.build());
        }
        return List.of(new Batch(v.schema(), cols, v.rows().size()));
    }
}
