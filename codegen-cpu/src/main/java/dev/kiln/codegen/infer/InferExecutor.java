package dev.kiln.codegen.infer;

import dev.kiln.ir.rel.Infer;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.VectorBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes an {@link Infer} over materialized batches: rows whose arguments are all non-NULL are
 * stacked into model batches of up to {@code batchRows} rows (inference batched across rows: one
 * model call per chunk, not per row), a chunk ending early where a row's tensor shape differs from
 * the chunk's; each output is split back into one cell per row. Batches run on the query's
 * workers, each worker with its own runner.
 */
public final class InferExecutor {
    private final Infer node;
    private final int batchRows;

    /** the batch size the model's inputs fix (their first dimension), or 0 when it is free */
    private final int fixedBatch;
    /** the graph outputs the node's columns take, in column order */
    private final List<String> modelOutputs;
    /** the batch size the prelude's inputs fix, or 0; rows per prelude call (that batch, or 1 where the prelude mixes rows) */
    private final int preludeFixedBatch, preludeRows;

    public InferExecutor(Infer node, int batchRows) {
        if (batchRows < 1) throw new IllegalArgumentException("batch rows must be positive");
        this.node = node;
        long fixed = fixedBatch(node.model().graph());
        this.fixedBatch = (int) fixed;
        this.batchRows = fixed > 0 ? (int) fixed : mixesRows(node.model().graph()) ? 1 : batchRows;
        this.modelOutputs = node.outputs().stream().map(Infer.Output::modelOutput).toList();
        this.preludeFixedBatch = node.prelude().map(p -> (int) fixedBatch(p.model().graph())).orElse(0);
        this.preludeRows = preludeFixedBatch > 0 ? preludeFixedBatch : node.prelude().map(p -> mixesRows(p.model().graph()) ? 1 : batchRows).orElse(1);
    }

    private static long fixedBatch(dev.kiln.ir.tensor.TensorGraph g) {
        long fixed = 0;
        for (TensorValue v : g.inputs()) {
            if (v.type().rank() > 0 && v.type().shape().dim(0) instanceof dev.kiln.ir.tensor.Dim.Fixed f) fixed = f.size();
        }
        return fixed;
    }

    /** The input batch with the output columns appended. */
    public Batch run(Batch in, ModelRunner runner, ModelRunner prelude, QueryMemory mem) {
        checkPrelude(prelude);
        List<VectorBuilder> builders = builders(in.rowCount(), mem);
        compute(in, 0, in.rowCount(), runner, prelude, builders);
        List<ColumnVector> cols = new ArrayList<>(in.columns());
        for (VectorBuilder b : builders) cols.add(b.build());
        return new Batch(node.schema(), cols, in.rowCount());
    }

    /**
     * The same, with the batch's chunks of rows handed out to as many runners as there are
     * threads, run side by side on {@code workers}, one runner each: inference
     * batched across rows and spread across threads, so models too small to split inside (a
     * per-image preprocessing graph, a small CNN's batch) still use every core. Each runner keeps
     * its rows' values on the heap, counted against the query's memory budget until they are
     * appended to the batch's columns in row order. A batch of fewer than two chunks per runner
     * runs on the first runner alone.
     */
    public Batch run(Batch in, List<ModelRunner> runners, List<ModelRunner> preludes, dev.kiln.runtime.tensor.TensorThreads workers, QueryMemory mem) {
        int rows = in.rowCount();
        int parts = Math.min(Math.min(Math.min(runners.size(), workers.threads()), rows / Math.max(1, 2 * batchRows)),
                node.prelude().isPresent() ? preludes.size() : Integer.MAX_VALUE);
        if (parts < 2) return run(in, runners.getFirst(), preludes.isEmpty() ? null : preludes.getFirst(), mem);
        // chunks of batchRows rows handed out one at a time, so a runner that is done takes the next (static ranges of
        // whole chunks left one runner a chunk more than the other: 9 chunks on 2 threads ran as 5 against 4)
        int chunks = (rows + batchRows - 1) / batchRows;
        java.util.concurrent.atomic.AtomicInteger nextChunk = new java.util.concurrent.atomic.AtomicInteger();
        Object[][] values = new Object[node.outputs().size()][rows];
        java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();
        try {
            workers.forEach(parts, p -> {
                for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement()) {
                    compute(in, c * batchRows, Math.min(rows, (c + 1) * batchRows), runners.get(p), node.prelude().isPresent() ? preludes.get(p) : null, (j, row, v) -> {
                        long bytes = v instanceof Tensor t ? (long) t.size() * Math.max(4, t.type().byteWidth()) : 16;
                        mem.reserve(bytes);
                        held.addAndGet(bytes);
                        values[j][row] = v;
                    });
                }
            });
            List<ColumnVector> cols = new ArrayList<>(in.columns());
            List<VectorBuilder> builders = builders(rows, mem);
            for (int j = 0; j < builders.size(); j++) {
                VectorBuilder b = builders.get(j);
                for (Object v : values[j]) {
                    if (v == null) b.appendNull();
                    else b.appendObject(v);
                }
                cols.add(b.build());
            }
            return new Batch(node.schema(), cols, rows);
        } finally {
            mem.release(held.get());
        }
    }

    private void checkPrelude(ModelRunner prelude) {
        if (node.prelude().isPresent() != (prelude != null)) {
            throw new IllegalArgumentException(node.prelude().isPresent() ? "model " + node.model().name() + " has a prelude: it needs a runner" : "no prelude to run");
        }
    }

    /** Where {@link #compute} puts output {@code j}'s value of a row (NULL rows are not passed). */
    private interface Sink {
        void put(int output, int row, Object value);
    }

    private List<VectorBuilder> builders(int rows, QueryMemory mem) {
        Schema out = node.schema();
        int width = out.size() - node.outputs().size();
        List<VectorBuilder> builders = new ArrayList<>();
        for (int j = 0; j < node.outputs().size(); j++) builders.add(new VectorBuilder(out.field(width + j).type(), mem, Math.max(1, rows)));
        return builders;
    }

    /** Rows [from, to) of the batch through the model, in chunks, each output's values appended to its builder in row order. */
    private void compute(Batch in, int from, int to, ModelRunner runner, ModelRunner prelude, List<VectorBuilder> builders) {
        // rows come in order for each output: a row skipped before the one given is NULL
        int[] next = new int[builders.size()];
        Arrays.fill(next, from);
        compute(in, from, to, runner, prelude, (j, row, v) -> {
            VectorBuilder b = builders.get(j);
            for (; next[j] < row; next[j]++) b.appendNull();
            next[j] = row + 1;
            b.appendObject(v);
        });
        for (int j = 0; j < builders.size(); j++) {
            for (; next[j] < to; next[j]++) builders.get(j).appendNull();
        }
    }

    /**
     * Rows [from, to) of the batch through the model, in chunks; every non-NULL row's outputs, in
     * row order, to {@code sink}. With a prelude, the arguments go through the prelude model in
     * runs of their own (rows of one shape: an image's preprocessing runs per image), and its
     * per-row outputs are gathered into the model's chunks, never into a column.
     */
    private void compute(Batch in, int from, int to, ModelRunner runner, ModelRunner prelude, Sink sink) {
        var pre = node.prelude();
        List<Object[]> pending = new ArrayList<>();
        int[] pendingRows = new int[batchRows];
        int r = from;
        while (r < to) {
            Object[] first = args(in, r);
            if (first == null) {
                r++;
                continue;
            }
            // a run: rows with non-NULL arguments of the same shapes as the first's
            int limit = pre.isPresent() ? preludeRows : batchRows;
            List<Object[]> run = new ArrayList<>();
            run.add(first);
            int next = r + 1;
            while (next < to && run.size() < limit) {
                Object[] a = args(in, next);
                if (a == null || !sameShapes(first, a)) break;
                run.add(a);
                next++;
            }
            if (pre.isEmpty()) {
                call(node.model(), runner, run, rowRange(r, run.size()), modelOutputs, sink);
            } else {
                call(pre.get().model(), prelude, run, rowRange(r, run.size()), List.of(pre.get().output()), (j, row, v) -> {
                    Object[] x = {v};
                    if (!pending.isEmpty() && (pending.size() == batchRows || !sameShapes(pending.getFirst(), x))) flush(runner, pending, pendingRows, sink);
                    pendingRows[pending.size()] = row;
                    pending.add(x);
                });
            }
            r = next;
        }
        if (!pending.isEmpty()) flush(runner, pending, pendingRows, sink);
    }

    private static int[] rowRange(int from, int n) {
        int[] rows = new int[n];
        for (int k = 0; k < n; k++) rows[k] = from + k;
        return rows;
    }

    /** The prelude's outputs gathered so far through the model, and the gathering emptied. */
    private void flush(ModelRunner runner, List<Object[]> pending, int[] pendingRows, Sink sink) {
        call(node.model(), runner, pending, Arrays.copyOf(pendingRows, pending.size()), modelOutputs, sink);
        pending.clear();
    }

    /**
     * One model call over a chunk (each entry the model's inputs for one row, {@code rows} their
     * places in the batch), and each of the named outputs' per-row values to {@code sink}.
     */
    private void call(dev.kiln.ir.rel.ModelRef model, ModelRunner runner, List<Object[]> chunk, int[] rows, List<String> outputs, Sink sink) {
        List<TensorValue> modelInputs = model.graph().inputs();
        int n = chunk.size();
        int fixed = model == node.model() ? fixedBatch : preludeFixedBatch;
        // a model whose file fixes the batch size gets exactly that many rows: the last batch is padded with its last row
        List<Object[]> padded = chunk;
        if (fixed > n) {
            padded = new ArrayList<>(chunk);
            while (padded.size() < fixed) padded.add(chunk.getLast());
        }
        Map<String, Tensor> inputs = new HashMap<>();
        for (int i = 0; i < modelInputs.size(); i++) inputs.put(modelInputs.get(i).name(), stack(padded, i, modelInputs.get(i)));
        Map<String, Tensor> results;
        try {
            results = runner.run(inputs);
        } catch (RuntimeException e) {
            String which = model == node.model() ? "model " + model.name() : "model " + node.model().name() + "'s prelude " + model.name();
            throw new dev.kiln.ir.KilnException(which + " failed on rows " + rows[0] + ".." + rows[n - 1] + " of a batch: " + e.getMessage(), e);
        }
        for (int j = 0; j < outputs.size(); j++) {
            Tensor t = results.get(outputs.get(j));
            if (t.rank() == 0 || t.dim(0) != padded.size()) {
                throw new dev.kiln.ir.KilnException("model " + model.name() + " output " + outputs.get(j) + " has shape "
                        + Arrays.toString(t.shape()) + " for a batch of " + padded.size() + " rows: its first dimension must be the batch");
            }
            var declared = Infer.rowType((model == node.model() ? node.graphOutput(outputs.get(j)) : node.prelude().orElseThrow().graphOutput()).type());
            for (int k = 0; k < n; k++) sink.put(j, rows[k], Infer.columnValue(row(t, k), declared));
        }
    }

    /**
     * Whether a row's result depends on the other rows of its batch: DynamicQuantizeLinear takes
     * its scale and zero point from the whole tensor, so a dynamically quantized model (the int8
     * MiniLM) gives a row other values in another batch. Such models run a row at a time, which is
     * their per-row semantics (the reference's: each row alone).
     */
    static boolean mixesRows(dev.kiln.ir.tensor.TensorGraph graph) {
        return graph.nodes().stream().anyMatch(n -> n.op() instanceof dev.kiln.ir.tensor.QuantizedOp.DynamicQuantizeLinear);
    }

    /** The row's arguments (tensors or numbers), or null when one is NULL. */
    private Object[] args(Batch in, int r) {
        Object[] a = new Object[node.args().size()];
        for (int i = 0; i < a.length; i++) {
            ColumnVector v = in.column(node.args().get(i));
            if (v.isNull(r)) return null;
            a[i] = v.getObject(r);
            if (a[i] instanceof Tensor t) dev.kiln.ir.eval.InferRows.checkShape(node, i, t, rowLabel(in, r));
        }
        return a;
    }

    /** The row as a user can find it: its first scalar columns (an id, a file name), else its place in the batch. */
    private static String rowLabel(Batch in, int r) {
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < in.columns().size() && parts.size() < 2; c++) {
            var f = in.schema().field(c);
            if (f.type() instanceof dev.kiln.ir.type.DataType.TensorType || f.name().startsWith("$")) continue;
            Object v = in.column(c).isNull(r) ? null : in.column(c).getObject(r);
            parts.add(f.name() + " = " + (v instanceof String s ? "'" + s + "'" : String.valueOf(v)));
        }
        return parts.isEmpty() ? "row " + r + " of a batch" : "the row with " + String.join(", ", parts);
    }

    private static boolean sameShapes(Object[] a, Object[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] instanceof Tensor x && b[i] instanceof Tensor y && !Arrays.equals(x.shape(), y.shape())) return false;
        }
        return true;
    }

    /** The chunk's values of argument i as one batched tensor. */
    private static Tensor stack(List<Object[]> chunk, int i, TensorValue input) {
        Tensor first = dev.kiln.ir.eval.InferRows.batchOfOne(chunk.getFirst()[i], input);
        long[] shape = first.shape();
        shape[0] = chunk.size();
        Tensor.Builder b = Tensor.builder(first.type(), shape);
        int per = first.size();
        for (int k = 0; k < chunk.size(); k++) {
            Tensor one = k == 0 ? first : dev.kiln.ir.eval.InferRows.batchOfOne(chunk.get(k)[i], input);
            b.copy(k * per, one, 0, per);
        }
        return b.build();
    }

    /** Row k of a batched output [batch] as its scalar column holds it (see {@link Infer#columnType}). */
    private static Object scalar(Tensor t, int k) {
        return switch (t.type()) {
            case STRING -> t.getString(k);
            case BOOL -> t.getBool(k);
            default -> t.type().isFloating() ? (Object) t.getDouble(k) : (Object) t.getLong(k);
        };
    }

    /** Row k of a batched output, without the batch dimension. */
    private static Tensor row(Tensor t, int k) {
        long[] shape = Arrays.copyOfRange(t.shape(), 1, t.rank());
        if (t.dim(0) == 1) return t.reshape(shape); // the whole batch: its storage as it is
        Tensor.Builder b = Tensor.builder(t.type(), shape);
        int per = b.size();
        b.copy(0, t, k * per, per);
        return b.build();
    }
}
