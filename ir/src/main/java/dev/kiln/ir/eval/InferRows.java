package dev.kiln.ir.eval;

import dev.kiln.ir.rel.Infer;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference semantics of {@link Infer}: each row alone, as a batch of one, through the tensor
 * interpreter. The executor batches rows; this is what it is checked against.
 */
public final class InferRows {
    private InferRows() {}

    static List<Object[]> run(Infer inf, List<Object[]> rows) {
        return rows.stream().map(r -> row(inf, r)).toList();
    }

    static Object[] row(Infer inf, Object[] r) {
        Object[] out = Arrays.copyOf(r, r.length + inf.outputs().size());
        Map<String, Tensor> inputs = new HashMap<>();
        List<TensorValue> modelInputs = inf.argumentModel().graph().inputs();
        for (int a = 0; a < inf.args().size(); a++) {
            Object v = r[inf.args().get(a)];
            if (v == null) return out; // NULL in, NULL out
            if (v instanceof Tensor t) checkShape(inf, a, t, "the row " + Arrays.toString(r));
            inputs.put(modelInputs.get(a).name(), batchOfOne(v, modelInputs.get(a)));
        }
        if (inf.prelude().isPresent()) {
            // the prelude's output for the row, a batch of one, is the model's input
            Tensor x = TensorInterpreter.run(inf.prelude().get().model().graph(), inputs).get(inf.prelude().get().output());
            inputs = Map.of(inf.model().graph().inputs().getFirst().name(), x);
        }
        Map<String, Tensor> results = TensorInterpreter.run(inf.model().graph(), inputs);
        for (int j = 0; j < inf.outputs().size(); j++) {
            Tensor t = results.get(inf.outputs().get(j).modelOutput());
            long[] shape = t.shape();
            Tensor row = t.reshape(Arrays.copyOfRange(shape, 1, shape.length));
            out[r.length + j] = Infer.columnValue(row, Infer.rowType(inf.graphOutput(inf.outputs().get(j).modelOutput()).type()));
        }
        return out;
    }

    /**
     * Fails, naming the model input, the column and the row, when a row's tensor does not have the
     * fixed dimensions of the model's input (a column's type may leave them open, as an image
     * column does): otherwise the model would fail deep inside, on some node, for a whole batch.
     */
    public static void checkShape(Infer inf, int arg, Tensor t, String row) {
        TensorValue input = inf.argumentModel().graph().inputs().get(arg);
        var want = Infer.rowType(input.type());
        boolean fits = t.rank() == want.rank();
        for (int d = 0; fits && d < t.rank(); d++) {
            if (want.shape().dim(d) instanceof dev.kiln.ir.tensor.Dim.Fixed f && f.size() != t.dim(d)) fits = false;
        }
        if (!fits) {
            String column = inf.input().schema().field(inf.args().get(arg)).name();
            throw new dev.kiln.ir.KilnException("model " + inf.argumentModel().name() + " input " + input.name() + " takes " + want + " per row, but column " + column + " is "
                    + t.type().name().toLowerCase(java.util.Locale.ROOT) + Arrays.toString(t.shape()).replace(" ", "") + " in " + row);
        }
    }

    /** A row's value as the model input's batch of one: a tensor with a leading 1, or a number as [1] or [1, 1]. */
    public static Tensor batchOfOne(Object v, TensorValue input) {
        int rank = input.type().rank();
        ElementType type = input.type().element();
        if (v instanceof Tensor t) {
            long[] shape = new long[t.rank() + 1];
            shape[0] = 1;
            System.arraycopy(t.shape(), 0, shape, 1, t.rank());
            return t.reshape(shape);
        }
        long[] shape = rank == 1 ? new long[] {1} : new long[] {1, 1};
        if (v instanceof String s) {
            if (type != ElementType.STRING) throw new IllegalArgumentException("model input " + input.name() + " takes " + input.type() + ", not text");
            return Tensor.strings(shape, s);
        }
        Tensor.Builder b = Tensor.builder(type, shape);
        if (type.isFloating()) {
            b.setDouble(0, ((Number) (v instanceof java.math.BigDecimal d ? d.doubleValue() : v)).doubleValue());
        } else {
            b.setLong(0, ((Number) v).longValue());
        }
        return b.build();
    }
}
